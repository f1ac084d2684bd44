"""quotegraph on Apache Spark: extraction and quote clustering for corpora one machine cannot take.

``extract`` reads articles from any path Spark reads and writes Parquet of
articles, quote occurrences and people (``datasets``); ``cluster`` clusters
the occurrences into quotes; ``load`` brings both into a corpus store. Each
job runs quotegraph's own code in the Python workers, so the results are
those of the local path. pyspark is imported by the jobs only, never here:
``load`` needs only pyarrow.
"""
