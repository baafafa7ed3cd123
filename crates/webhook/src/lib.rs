//! palisade-webhook (work in progress).
