//! Integration tests for `matrix-widget-api` live in `it/`; this library is empty.
