"""The Parquet layout the replaced pipeline writes: one folder per label or type, streamed rows."""
