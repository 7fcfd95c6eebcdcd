#!/usr/bin/env python3
"""Faultline over an archive of cases through Apache Spark, in local mode.

Each case (a folder of a failed build's logs and captures) is one element of a
Spark RDD; `RDD.pipe` hands each partition's case paths, one per line, to a
`faultline batch --cases-from - --out -` process and collects the NDJSON lines it
writes: the same contract as Hadoop streaming or GNU parallel, so an existing
cluster spreads the work without a Faultline service. A case's line does not
depend on which worker analysed it, so the result equals one `faultline batch`
over the same cases (`--check` compares them).

    scripts/spark-batch.py FAULTLINE ROOT --out results.ndjson [--partitions N] [--check]

ROOT holds one folder per case. Spark runs with two local cores, bound to
127.0.0.1, web UI off. Needs `pip install pyspark` and a Java 17+ runtime.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("faultline", help="the faultline binary")
    parser.add_argument("root", help="a folder with one folder per case")
    parser.add_argument("--out", required=True, help="where to write the NDJSON lines, sorted by case")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--check", action="store_true", help="compare with one `faultline batch --sorted` over ROOT")
    args = parser.parse_args()

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark import SparkConf, SparkContext  # imported late: --help works without Spark

    cases = sorted(os.path.join(args.root, name) for name in os.listdir(args.root)
                   if os.path.isdir(os.path.join(args.root, name)) and not name.startswith("."))
    conf = (SparkConf().setMaster("local[2]").setAppName("faultline-batch")
            .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1"))
    context = SparkContext(conf=conf)
    context.setLogLevel("ERROR")
    try:
        command = [os.path.abspath(args.faultline), "batch", "--cases-from", "-", "--out", "-", "--quiet", "--jobs", "1"]
        lines = context.parallelize(cases, args.partitions).pipe(shlex.join(command), checkCode=False).collect()
    finally:
        context.stop()
    lines.sort(key=lambda line: json.loads(line)["case"])
    with open(args.out, "w") as out:
        out.writelines(line + "\n" for line in lines)
    print(f"spark-batch: {len(cases)} cases, {len(lines)} lines in {args.partitions} partitions -> {args.out}", file=sys.stderr)
    if len(lines) != len(cases):
        print("spark-batch: not one line per case", file=sys.stderr)
        return 1
    if args.check:
        single = subprocess.run([args.faultline, "batch", args.root, "--sorted", "--out", "-", "--quiet"],
                                capture_output=True, text=True).stdout.splitlines()
        single = sorted((line for line in single if json.loads(line)["case"] in set(cases)),
                        key=lambda line: json.loads(line)["case"])
        if single != lines:
            differ = [json.loads(a)["case"] for a, b in zip(single, lines) if a != b]
            print(f"spark-batch: differs from one faultline batch ({len(single)} vs {len(lines)} lines; cases {differ[:5]})",
                  file=sys.stderr)
            return 1
        print(f"spark-batch: identical to one `faultline batch --sorted` ({len(single)} lines)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
