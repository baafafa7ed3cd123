{{- define "palisade.name" -}}{{ .Release.Name }}-webhook{{- end -}}
{{- define "palisade.labels" -}}
app.kubernetes.io/name: palisade-webhook
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}
{{- define "palisade.selector" -}}
app.kubernetes.io/name: palisade-webhook
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
{{- define "palisade.namespaceSelector" -}}
namespaceSelector:
  matchExpressions:
    - key: kubernetes.io/metadata.name
      operator: NotIn
      values:
        {{- range .Values.exemptNamespaces }}
        - {{ . }}
        {{- end }}
        - {{ .Release.Namespace }}
    - key: palisade.io/exempt
      operator: NotIn
      values: ["true"]
{{- end -}}
{{- define "palisade.clientConfig" -}}
clientConfig:
  {{- if and (not .root.Values.certManager.enabled) .root.Values.caBundle }}
  caBundle: {{ .root.Values.caBundle }}
  {{- end }}
  service:
    name: {{ include "palisade.name" .root }}
    namespace: {{ .root.Release.Namespace }}
    path: {{ .path }}
    port: 443
{{- end -}}
