"""Files in and out: YAML with line numbers, case folders, JSON Schema, observations, export.

- :mod:`~recogmodel.io.yaml`: safe YAML reading that keeps the line of every value;
- :mod:`~recogmodel.io.folder`: case folders, scenario files, ``extends`` chains;
- :mod:`~recogmodel.io.schema`: the JSON Schema of both kinds of file;
- :mod:`~recogmodel.io.observations`: files of observed values;
- :mod:`~recogmodel.io.export`: projections written as CSV and JSON.

The package imports none of them itself, so reading a case does not load the writers.
"""
