"""The HTTP service and the command line: the outermost layer, imported by nothing of ours."""
