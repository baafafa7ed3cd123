//! The findings of a scan, in report order, held as the lists they were produced in.
//!
//! A scan checks its files in parallel, each into a list of its own, sorted as it is checked. Joining those
//! lists into one would copy every finding once more, into memory touched for the first time (at 100,000
//! objects, ~110 MB and ~110 ms, most of it page faults). [`Findings`] keeps the lists and reads as one
//! sequence: iteration, length and position-based access are those of the concatenation.

use crate::finding::Finding;
use serde::Serialize;

/// Findings in order, as consecutive non-empty parts.
#[derive(Clone, Default)]
pub struct Findings {
    /// The parts, none empty.
    parts: Vec<Vec<Finding>>,
    /// Where each part starts in the whole sequence (same length as `parts`, increasing).
    starts: Vec<usize>,
    /// Number of findings.
    len: usize,
}

impl Findings {
    /// No findings.
    pub fn new() -> Self {
        Self::default()
    }

    /// The findings of `parts`, in order (empty parts are dropped).
    pub fn from_parts(parts: impl IntoIterator<Item = Vec<Finding>>) -> Self {
        let mut out = Self::default();
        for part in parts {
            out.push_part(part);
        }
        out
    }

    /// Appends a part (nothing when it is empty).
    pub fn push_part(&mut self, part: Vec<Finding>) {
        if part.is_empty() {
            return;
        }
        self.starts.push(self.len);
        self.len += part.len();
        self.parts.push(part);
    }

    /// Number of findings.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The parts, in order (none empty).
    pub fn parts(&self) -> &[Vec<Finding>] {
        &self.parts
    }

    /// The parts, in order (none empty).
    pub fn into_parts(self) -> Vec<Vec<Finding>> {
        self.parts
    }

    /// The findings in order.
    pub fn iter(&self) -> Iter<'_> {
        self.iter_from(0)
    }

    /// The findings from position `from` on (none when `from` is past the end).
    pub fn iter_from(&self, from: usize) -> Iter<'_> {
        // The last part starting at or before `from`.
        let k = self.starts.partition_point(|&s| s <= from).saturating_sub(1);
        let (front, rest) = match (self.parts.get(k), self.starts.get(k)) {
            (Some(part), Some(&start)) if from < self.len => {
                (part.get(from - start..).unwrap_or_default(), self.parts.get(k + 1..))
            }
            _ => (&[][..], None),
        };
        Iter {
            front: front.iter(),
            rest: rest.unwrap_or_default().iter(),
            len: self.len.saturating_sub(from),
        }
    }

    /// The finding at position `i`.
    pub fn get(&self, i: usize) -> Option<&Finding> {
        self.iter_from(i).next()
    }

    /// The findings in order, mutably (severity overrides, say).
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Finding> {
        self.parts.iter_mut().flatten()
    }

    /// Appends a finding.
    pub fn push(&mut self, f: Finding) {
        match self.parts.last_mut() {
            Some(last) => {
                last.push(f);
                self.len += 1;
            }
            None => self.push_part(vec![f]),
        }
    }

    /// Keeps the findings `keep` accepts, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Finding) -> bool) {
        let parts = std::mem::take(&mut self.parts);
        *self = Self::from_parts(parts.into_iter().map(|mut p| {
            p.retain(&mut keep);
            p
        }));
    }

    /// The findings as one list (copies them when there are several parts).
    pub fn into_vec(self) -> Vec<Finding> {
        let mut parts = self.parts;
        if parts.len() == 1 {
            return parts.pop().unwrap_or_default();
        }
        let mut out = Vec::with_capacity(self.len);
        for p in parts {
            out.extend(p);
        }
        out
    }
}

impl From<Vec<Finding>> for Findings {
    fn from(v: Vec<Finding>) -> Self {
        Self::from_parts([v])
    }
}

impl FromIterator<Finding> for Findings {
    fn from_iter<I: IntoIterator<Item = Finding>>(iter: I) -> Self {
        Self::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl Extend<Finding> for Findings {
    fn extend<I: IntoIterator<Item = Finding>>(&mut self, iter: I) {
        for f in iter {
            self.push(f);
        }
    }
}

impl IntoIterator for Findings {
    type Item = Finding;
    type IntoIter = std::iter::Flatten<std::vec::IntoIter<Vec<Finding>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.parts.into_iter().flatten()
    }
}

impl<'a> IntoIterator for &'a Findings {
    type Item = &'a Finding;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Equal when the sequences are (however they are split into parts).
impl PartialEq for Findings {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for Findings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Serialized as one sequence.
impl Serialize for Findings {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// The findings of a [`Findings`] in order.
#[derive(Clone, Debug)]
pub struct Iter<'a> {
    front: std::slice::Iter<'a, Finding>,
    rest: std::slice::Iter<'a, Vec<Finding>>,
    len: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Finding;

    #[inline]
    fn next(&mut self) -> Option<&'a Finding> {
        loop {
            if let Some(f) = self.front.next() {
                self.len -= 1;
                return Some(f);
            }
            self.front = self.rest.next()?.iter();
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.len, Some(self.len))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl std::iter::FusedIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Location, ObjectRef, Severity};
    use std::sync::Arc;

    fn finding(n: usize) -> Finding {
        Finding {
            rule: "K8S-001",
            name: "n",
            severity: Severity::Low,
            message: n.to_string(),
            remediation: "r",
            object: Arc::new(ObjectRef::default()),
            location: Location {
                line: u32::try_from(n).unwrap_or(0),
                ..Location::default()
            },
        }
    }

    fn numbers(f: &Findings) -> Vec<String> {
        f.iter().map(|f| f.message.clone()).collect()
    }

    /// Every way of access gives the concatenation of the parts, over splits with empty parts anywhere.
    #[test]
    fn parts_read_as_their_concatenation() {
        let sizes = [0, 3, 0, 0, 1, 5, 0, 2];
        let mut n = 0;
        let parts: Vec<Vec<Finding>> = sizes
            .iter()
            .map(|&k| {
                (0..k)
                    .map(|_| {
                        n += 1;
                        finding(n - 1)
                    })
                    .collect()
            })
            .collect();
        let whole: Vec<Finding> = parts.iter().flatten().cloned().collect();
        let f = Findings::from_parts(parts);
        assert_eq!(f.len(), whole.len());
        assert_eq!(f.parts().len(), 4, "empty parts are dropped");
        assert_eq!(numbers(&f), whole.iter().map(|f| f.message.clone()).collect::<Vec<_>>());
        for from in 0..=whole.len() + 2 {
            let rest: Vec<&Finding> = f.iter_from(from).collect();
            assert_eq!(rest, whole.iter().skip(from).collect::<Vec<_>>(), "from {from}");
            assert_eq!(f.iter_from(from).len(), whole.len().saturating_sub(from), "from {from}");
            assert_eq!(f.get(from), whole.get(from), "at {from}");
        }
        assert_eq!(f, Findings::from(whole.clone()), "equality ignores the split");
        assert_eq!(f.clone().into_vec(), whole);
        assert_eq!(f.clone().into_iter().collect::<Vec<_>>(), whole);
        assert_eq!(
            serde_json::to_value(&f).ok(),
            serde_json::to_value(&whole).ok(),
            "serialized as one list"
        );
        let mut odd = f.clone();
        odd.retain(|x| x.location.line % 2 == 1);
        assert_eq!(numbers(&odd), ["1", "3", "5", "7", "9"]);
        odd.retain(|x| x.location.line > 8);
        assert_eq!((odd.len(), odd.parts().len()), (1, 1), "parts left empty are dropped");
        let mut pushed = Findings::new();
        pushed.extend(whole.iter().cloned());
        assert_eq!(pushed, f);
        assert!(Findings::new().is_empty() && Findings::new().get(0).is_none());
    }
}
