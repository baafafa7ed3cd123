//! palisade-live (work in progress).
