"""The private core every stage may import, which imports no stage: progress bars, shipped data
files, content-keyed caches, process pools, lazy exports and the one table of Persian digits and letters."""
