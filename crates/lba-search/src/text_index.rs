//! Shared token index for autocomplete (placeholder; being written).
