//! palisade-policy (work in progress).
