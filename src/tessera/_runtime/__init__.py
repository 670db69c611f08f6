"""The hand-written runtime every generated client runs on: one request path from a stub to the socket."""
