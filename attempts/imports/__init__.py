"""Import of a local group's existing spreadsheet (CSV or XLSX) into people, cases and attempts.

Why here, in the attempts app: an imported row creates a Person, a Case and its
ResidenceDocuments (cases app) *and* the Attempts written in a free-text column (attempts app).
Dependencies point one way (accounts <- cases <- attempts <- litigation <- reports), so `cases`
may not import `attempts`; the lowest app that can see both is `attempts`.

Pipeline, one small module per step:
- `reading`: bytes -> header and rows (encoding, separator, XLSX; formulas kept as text);
- `mapping`: file headers -> import fields (French variants recognised, user-correctable);
- `parsers`: pure functions turning one cell into a value or a `CellError` (dates, prefectures,
  nationalities, procedures, document kinds, the attempts column);
- `rows`: one spreadsheet row -> a `ParsedRow` (values, errors and warnings per cell, fingerprint);
- `duplicates`: likely duplicates in the organisation and inside the file (cases' one rule);
- `preview`: the dry run stored on the `ImportBatch`;
- `commit`: the atomic write, audited; `errors_csv`: the downloadable error file.
"""
