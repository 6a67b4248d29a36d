"""A reader's own data (uploaded in the app, or given to the CLI): read, checked, mapped with ours.

The pipeline: ``read.read_upload`` (bytes -> RawTable) -> ``columns.guess_mapping`` (which
column holds what; the app lets the user correct it) -> ``sites.validate_sites`` or
``values.validate_values`` (good rows kept, bad rows listed as Problems) -> ``view`` (what one
view shows of them). The data never touches the disk: the app keeps it in the reader's session.
"""
