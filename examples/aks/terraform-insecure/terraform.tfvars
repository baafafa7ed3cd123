client_secret = "use-a-managed-identity-instead"
