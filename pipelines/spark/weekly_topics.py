#!/usr/bin/env python3
"""nhip's weekly topic counts on an Apache Spark cluster.

Reads documents as `nhip ingest` writes them (JSON Lines or Parquet), runs `nhip match` on every
partition (the binary is shipped to the executors by the job), removes exact duplicates across
the whole collection, joins near-duplicates into stories across partitions (connected
components of documents sharing a MinHash band) and writes the counts table as Parquet:

    OUT/topic_weeks   topic, week_start, docs, reports, stories
    OUT/weeks         week_start (null: undated documents), docs
    OUT/word_weeks    week_start, term, docs, example_ids
    OUT/rejects       line, rejected (input lines that are not documents; JSON)
    OUT/documents     per document: id, week, kind, source, topics, bands, story (JSON)
    OUT/summary.json  documents, duplicates, undated, rejected, stories

Then `nhip trends --counts OUT --topics TOPICS.toml --out REPORT` builds the tables, forecasts,
emerging terms, charts and brief with the same code as `nhip run`. See README.md, "Trends on a
Spark cluster".

    spark-submit --master spark://HOST:7077 pipelines/spark/weekly_topics.py \\
        --input docs.jsonl --topics pipelines/topics.toml --nhip target/release/nhip --out counts
"""

import argparse
import json
import os
import subprocess
import tempfile
import threading

from pyspark import SparkFiles
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

# What `nhip match` writes per line (a reject line has only `rejected` and `line`).
MATCHED = T.StructType(
    [
        T.StructField("id", T.StringType()),
        T.StructField("iso_year", T.IntegerType()),
        T.StructField("iso_week", T.IntegerType()),
        T.StructField("week_start", T.StringType()),
        T.StructField("kind", T.StringType()),
        T.StructField("source", T.StringType()),
        T.StructField("content_hash", T.StringType()),
        T.StructField("bands", T.ArrayType(T.LongType())),
        T.StructField("minhash", T.ArrayType(T.LongType())),
        T.StructField("topics", T.ArrayType(T.StringType())),
        T.StructField("words", T.ArrayType(T.StringType())),
        T.StructField("rejected", T.StringType()),
        T.StructField("line", T.LongType()),
    ]
)

# What the sentences pass writes per line.
SENTENCES = T.StructType(
    [
        T.StructField("id", T.StringType()),
        T.StructField("content_hash", T.StringType()),
        T.StructField("sentences", T.ArrayType(T.LongType())),
        T.StructField("rejected", T.StringType()),
    ]
)

# Least share of equal signature values for two documents sharing a band to be one story
# (nhip_index::STORY_SIMILARITY).
STORY_SIMILARITY = 0.5

# Example documents per emerging-term candidate, as nhip's emerging terms table lists.
EXAMPLES = 3
# A term needs this many documents in a week to be an emerging term (nhip-trends MIN_WEEK_DOCS):
# example ids are kept only for such rows.
MIN_WEEK_DOCS = 3


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--input", required=True, action="append",
                   help="documents of `nhip ingest` (file, folder or glob); repeat for several")
    p.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl")
    p.add_argument("--topics", required=True, help="the topics TOML (as for `nhip run`)")
    p.add_argument("--words", help="word list grouping topic words (the index's [index] words)")
    p.add_argument("--nhip", required=True, help="the nhip binary for the executors' platform")
    p.add_argument("--out", required=True, help="counts folder to write (Parquet)")
    p.add_argument("--partitions", type=int, default=0,
                   help="partitions to match in (default: the input's)")
    p.add_argument("--batch", type=int, default=2000, help="documents per `nhip match` batch")
    p.add_argument("--boilerplate-min-docs", type=int, default=10,
                   help="a sentence is boilerplate once this many documents of one source hold it")
    p.add_argument("--boilerplate-min-syllables", type=int, default=3,
                   help="... and it has at least this many syllables")
    return p.parse_args()


def match_partition(args, extra, lines):
    """Streams a partition's lines through `nhip match` and yields its output lines."""
    exe = SparkFiles.get(os.path.basename(args["nhip"]))
    if not os.access(exe, os.X_OK):
        os.chmod(exe, 0o755)
    command = [exe, "match", "--inline-rejects", "--batch", str(args["batch"]),
               "--topics", SparkFiles.get(os.path.basename(args["topics"]))]
    if args["words"]:
        command += ["--words", SparkFiles.get(os.path.basename(args["words"]))]
    for flag, value in extra:
        command.append(flag)
        if value is not None:
            command.append(SparkFiles.get(value) if flag == "--boilerplate" else str(value))
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    failure = []

    def feed():
        try:
            for line in lines:
                # A document line never holds a raw newline (JSON escapes it).
                proc.stdin.write(line.encode("utf-8") + b"\n")
        except Exception as e:  # noqa: BLE001 -- reported below, with nhip's stderr
            failure.append(e)
        finally:
            try:
                proc.stdin.close()
            except OSError:
                pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    errors = []
    reader = threading.Thread(target=lambda: errors.append(proc.stderr.read()), daemon=True)
    reader.start()
    for out in proc.stdout:
        yield out.decode("utf-8")
    writer.join()
    code = proc.wait()
    reader.join()
    if code != 0 or failure:
        raise RuntimeError(f"nhip match failed ({code}): {failure} {b''.join(errors)[-2000:]!r}")


def read_lines(spark, args):
    """The input as JSON text lines, one per document (or bad line)."""
    if args.format == "jsonl":
        return spark.sparkContext.textFile(",".join(args.input))
    # Parquet as `nhip ingest --format parquet` writes it: a document's fields as columns.
    return spark.read.parquet(*args.input).toJSON()


def stories(docs):
    """Story of every document: documents sharing a MinHash band whose signatures agree on at
    least STORY_SIMILARITY of their values are joined, transitively (connected components, by
    min-label propagation); a story is named by its smallest content hash."""
    members = docs.select("content_hash", "minhash", F.explode("bands").alias("band"))
    a, b = members.alias("a"), members.alias("b")
    pairs = (a.join(b, (F.col("a.band") == F.col("b.band"))
                    & (F.col("a.content_hash") < F.col("b.content_hash")))
             .select(F.col("a.content_hash").alias("x"), F.col("b.content_hash").alias("y"),
                     F.col("a.minhash").alias("ma"), F.col("b.minhash").alias("mb"))
             .dropDuplicates(["x", "y"]))
    same = F.expr("aggregate(sequence(0, size(ma) - 1), 0, (n, i) -> n + IF(ma[i] = mb[i], 1, 0))")
    edges = (pairs.where((F.size("ma") == F.size("mb")) & (F.size("ma") > 0)
                         & (same >= F.ceil(F.size("ma") * F.lit(STORY_SIMILARITY))))
             .select("x", "y"))
    both = edges.union(edges.select(F.col("y").alias("x"), F.col("x").alias("y"))).cache()
    labels = docs.select(F.col("content_hash"), F.col("content_hash").alias("story")).cache()
    while True:
        candidates = (both.join(labels.withColumnRenamed("content_hash", "y"), "y")
                      .groupBy("x").agg(F.min("story").alias("candidate")))
        stepped = (labels.join(candidates.withColumnRenamed("x", "content_hash"),
                               "content_hash", "left")
                   .select("content_hash",
                           F.least(F.coalesce("candidate", "story"), F.col("story"))
                           .alias("story")))
        # Pointer jumping: take the label of one's label too, so long chains of
        # near-duplicates settle in a few rounds rather than one round per link.
        via = stepped.select(F.col("content_hash").alias("via"), F.col("story").alias("jump"))
        updated = (stepped.join(via, stepped["story"] == via["via"], "left")
                   .select("content_hash",
                           F.least(F.coalesce("jump", "story"), F.col("story")).alias("story"))
                   .localCheckpoint())
        changed = (updated.alias("n").join(labels.alias("o"), "content_hash")
                   .where(F.col("n.story") != F.col("o.story")).limit(1).count())
        labels = updated
        if changed == 0:
            return labels


def first_copies(frame):
    """Exact copies across the whole collection count once: the copy with the smallest id."""
    first_copy = Window.partitionBy("content_hash").orderBy("id")
    return (frame.withColumn("copy", F.row_number().over(first_copy))
            .where(F.col("copy") == 1).drop("copy"))


def boilerplate_keys(spark, lines, shipped, args):
    """Pass 1: the sentences (keyed within their source) that enough documents of one source
    hold — the index's boilerplate, counted over the whole collection."""
    extra = [("--sentences", None),
             ("--boilerplate-min-syllables", args.boilerplate_min_syllables)]
    text = lines.mapPartitions(lambda part: match_partition(shipped, extra, part))
    found = spark.read.schema(SENTENCES).json(text).where(F.col("rejected").isNull())
    keys = (first_copies(found)
            .select(F.explode("sentences").alias("key"))
            .groupBy("key").count()
            .where(F.col("count") >= args.boilerplate_min_docs)
            .select("key"))
    return [row.key for row in keys.collect()]


def main():
    args = parse_args()
    spark = SparkSession.builder.appName("nhip weekly topics").getOrCreate()
    sc = spark.sparkContext
    # Spark's default of 200 shuffle partitions is for big aggregates; the counts are small.
    # A value given with --conf spark.sql.shuffle.partitions=N is kept.
    if "spark.sql.shuffle.partitions" not in dict(sc.getConf().getAll()):
        spark.conf.set("spark.sql.shuffle.partitions", str(max(4, 2 * sc.defaultParallelism)))
    for path in [args.nhip, args.topics] + ([args.words] if args.words else []):
        sc.addFile(os.path.abspath(path))
    shipped = {"nhip": args.nhip, "topics": args.topics, "words": args.words,
               "batch": args.batch}

    lines = read_lines(spark, args)
    if args.partitions > 0:
        lines = lines.repartition(args.partitions)
    lines = lines.cache()

    keys = boilerplate_keys(spark, lines, shipped, args)
    keys_file = os.path.join(tempfile.mkdtemp(prefix="nhip-boilerplate-"), "boilerplate-keys.txt")
    with open(keys_file, "w", encoding="utf-8") as f:
        f.writelines(f"{k}\n" for k in keys)
    sc.addFile(keys_file)
    extra = [("--boilerplate", os.path.basename(keys_file))]
    matched_text = lines.mapPartitions(lambda part: match_partition(shipped, extra, part))
    matched = spark.read.schema(MATCHED).json(matched_text).cache()

    rejects = matched.where(F.col("rejected").isNotNull()).select("line", "rejected")
    all_docs = matched.where(F.col("rejected").isNull())
    docs = first_copies(all_docs).withColumn("week_start", F.to_date("week_start")).cache()
    story = stories(docs)
    docs = docs.join(story, "content_hash")

    weeks = docs.groupBy("week_start").agg(F.count(F.lit(1)).cast("long").alias("docs"))
    topic_weeks = (docs.where(F.col("week_start").isNotNull())
                   .select("id", "week_start", "kind", "story", F.explode("topics").alias("topic"))
                   .groupBy("topic", "week_start")
                   .agg(F.count(F.lit(1)).cast("long").alias("docs"),
                        F.sum(F.when(F.col("kind") == "report", 1).otherwise(0))
                        .cast("long").alias("reports"),
                        F.countDistinct("story").cast("long").alias("stories")))
    words = (docs.where(F.col("week_start").isNotNull())
             .select("id", "week_start", F.explode("words").alias("term")))
    word_counts = words.groupBy("week_start", "term").agg(
        F.count(F.lit(1)).cast("long").alias("docs"))
    by_id = Window.partitionBy("week_start", "term").orderBy("id")
    examples = (words.join(word_counts.where(F.col("docs") >= MIN_WEEK_DOCS),
                           ["week_start", "term"])
                .withColumn("n", F.row_number().over(by_id))
                .where(F.col("n") <= EXAMPLES)
                .groupBy("week_start", "term")
                .agg(F.array_join(F.array_sort(F.collect_list("id")), " ").alias("example_ids")))
    word_weeks = word_counts.join(examples, ["week_start", "term"], "left")

    out = args.out.rstrip("/")
    topic_weeks.coalesce(1).write.mode("overwrite").parquet(f"{out}/topic_weeks")
    weeks.coalesce(1).write.mode("overwrite").parquet(f"{out}/weeks")
    word_weeks.write.mode("overwrite").parquet(f"{out}/word_weeks")
    rejects.coalesce(1).write.mode("overwrite").json(f"{out}/rejects")
    # Per-document facts (no words): what each document counted as, for checks and drill-down.
    (docs.select("id", "content_hash", F.date_format("week_start", "yyyy-MM-dd").alias("week_start"),
                 "kind", "source", "topics", "bands", "minhash", "story")
     .write.mode("overwrite").json(f"{out}/documents"))

    total = all_docs.count()
    kept = docs.count()
    summary = {
        "documents": kept,
        "duplicates": total - kept,
        "undated": docs.where(F.col("week_start").isNull()).count(),
        "rejected": rejects.count(),
        "stories": story.select("story").distinct().count(),
        "boilerplate_sentences": len(keys),
        "partitions": lines.getNumPartitions(),
        "executors": len(sc._jsc.sc().statusTracker().getExecutorInfos()) - 1,
    }
    if "://" not in out or out.startswith("file://"):
        path = out.replace("file://", "")
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "summary.json"), "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")
    print("nhip weekly topics:", json.dumps(summary))
    spark.stop()


if __name__ == "__main__":
    main()
