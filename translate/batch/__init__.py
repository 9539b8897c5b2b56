"""Batch translation of whole corpora: many files, several formats, resumable.

:mod:`translate.batch.formats` reads and writes the supported file formats,
:mod:`translate.batch.journal` records finished segments so an interrupted job
resumes where it stopped, :mod:`translate.batch.cache` remembers translated
sentences across jobs, :mod:`translate.batch.worker` runs the model (in this
process, in worker processes or on Dask workers), and
:mod:`translate.batch.job` ties them together.
"""
