#!/usr/bin/env python3
"""Writes a `git fast-import` stream for a large, seeded tracking repository.

Default: 5,000 recommendations in 25 review folders and 50,000 first-parent commits over ten
years, about 91% of them touching Recommendations/ (1-3 files each), with status edits,
progress notes, moves between folders, deletions and re-creations, backdated `Effective:`
trailers, author offsets from -08:00 to +05:30, and a --no-ff style merge every 1,000 commits
(its side commits are not on the first-parent line).

Usage: python3 Benchmarks/generate.py [--seed N] [--recommendations N] [--commits N] | git fast-import
"""
import argparse
import random
import sys
import time

STATUSES = ["open", "in-progress", "complete", "closed", "not-accepted", "superseded"]
OFFSETS = [-480, -300, -120, 0, 60, 120, 330]
FOLDERS = 25


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--recommendations", type=int, default=5000)
    p.add_argument("--commits", type=int, default=50000)
    a = p.parse_args()
    rnd = random.Random(a.seed)
    out = sys.stdout.buffer
    chunks = []

    def emit(text):
        chunks.append(text.encode() if isinstance(text, str) else text)
        if len(chunks) > 2000:
            out.write(b"".join(chunks))
            chunks.clear()

    def data(payload):
        b = payload.encode()
        emit(b"data %d\n" % len(b))
        emit(b)
        emit(b"\n")

    recs = {}  # id -> dict(folder, status, version, owner, tags, due)
    counter = [0]

    def rec_id(i):
        return "BR-%02d-%03d" % (i % FOLDERS, i // FOLDERS)

    def path(rid):
        return "Recommendations/review-%02d/%s.yml" % (recs[rid]["folder"], rid)

    def content(rid):
        r = recs[rid]
        counter[0] += 1
        return (
            "# benchmark\n"
            "id: %s\n"
            "title: Benchmark recommendation %s\n"
            "source: Review %02d\n"
            "raised: 2015-01-01\n"
            "owner: Owner %d\n"
            "due: %s\n"
            "status: %s\n"
            "tags: [%s]\n"
            "description: |\n"
            "  Generated for the history benchmark; the text is long enough to look like a real\n"
            "  recommendation, with a few lines of description and a progress note.\n"
            "progress: |\n"
            "  Update %d.\n"
            % (rid, rid, r["source"], r["owner"], r["due"], r["status"], ", ".join(r["tags"]), counter[0])
        )

    t = 1420070400  # 2015-01-01T00:00:00Z
    step = (10 * 365 * 86400) // a.commits

    def when():
        nonlocal t
        if rnd.random() < 0.01:
            t -= rnd.randint(0, 3 * 86400)
        else:
            t += rnd.randint(0, 2 * step)
        off = rnd.choice(OFFSETS)
        sign = "-" if off < 0 else "+"
        return "%d %s%02d%02d" % (t, sign, abs(off) // 60, abs(off) % 60)

    def day(ts):
        return time.strftime("%Y-%m-%d", time.gmtime(ts))

    def message(title):
        roll = rnd.random()
        if roll < 0.05:
            return "%s\n\nRecorded late.\n\nEffective: %s\n" % (title, day(t - rnd.randint(0, 60) * 86400))
        return title + "\n"

    mark = [0]

    def header(ref, title, parent=None, merge=None):
        mark[0] += 1
        emit("commit %s\nmark :%d\n" % (ref, mark[0]))
        w = when()
        emit("author Bench Author <author@example.org> %s\n" % w)
        emit("committer Bench Committer <committer@example.org> %s\n" % w)
        data(message(title))
        if parent:
            emit("from :%d\n" % parent)
        if merge:
            emit("merge :%d\n" % merge)
        return mark[0]

    def put(rid):
        emit("M 100644 inline %s\n" % path(rid))
        data(content(rid))

    # First commit: every recommendation.
    header("refs/heads/main", "Import the recommendations")
    emit("M 100644 inline README.md\n")
    data("Benchmark tracking repository (seed %d)\n" % a.seed)
    for i in range(a.recommendations):
        rid = rec_id(i)
        recs[rid] = {
            "folder": i % FOLDERS, "status": "open", "source": i % FOLDERS, "owner": i % 7,
            "tags": rnd.sample(["alpha", "beta", "gamma", "delta"], rnd.randint(0, 2)),
            "due": "%d-%02d-28" % (rnd.randint(2015, 2026), rnd.randint(1, 12)),
        }
        put(rid)
    main_mark = mark[0]
    deleted = []
    live = list(recs.keys())

    def mutate(rid, changes):
        r = recs[rid]
        roll = rnd.random()
        if roll < 0.01:
            changes.append(("D", path(rid)))
            r["folder"] = rnd.randrange(FOLDERS)
        elif roll < 0.6:
            r["status"] = rnd.choice(STATUSES)
        changes.append(("M", rid))

    n = 1
    merges = 0
    while n < a.commits:
        n += 1
        if n % 1000 == 0:
            # A side branch of two commits, merged as one first-parent commit.
            merges += 1
            side = "refs/heads/side-%d" % merges
            touched = {}
            parent = main_mark
            for _ in range(2):
                changes = []
                for rid in rnd.sample(live, 2):
                    mutate(rid, changes)
                parent = header(side, "Side work", parent=parent)
                for kind, x in changes:
                    if kind == "D":
                        emit("D %s\n" % x)
                        touched[x] = None
                    else:
                        emit("M 100644 inline %s\n" % path(x))
                        body = content(x)
                        data(body)
                        touched[path(x)] = body
            main_mark = header("refs/heads/main", "Merge side work", merge=parent)
            for p_, body in touched.items():
                if body is None:
                    emit("D %s\n" % p_)
                else:
                    emit("M 100644 inline %s\n" % p_)
                    data(body)
            continue
        roll = rnd.random()
        if roll < 0.09:
            main_mark = header("refs/heads/main", "Notes")
            emit("M 100644 inline notes/log.txt\n")
            data("note %d\n" % n)
            continue
        if roll < 0.095 and len(live) > 10:
            rid = rnd.choice(live)
            main_mark = header("refs/heads/main", "Withdraw %s" % rid)
            emit("D %s\n" % path(rid))
            live.remove(rid)
            deleted.append(rid)
            continue
        if roll < 0.1 and deleted:
            rid = deleted.pop(rnd.randrange(len(deleted)))
            live.append(rid)
            main_mark = header("refs/heads/main", "Reinstate %s" % rid)
            put(rid)
            continue
        k = 1 if roll < 0.8 else (2 if roll < 0.95 else 3)
        changes = []
        for rid in rnd.sample(live, k):
            mutate(rid, changes)
        main_mark = header("refs/heads/main", "Update %d recommendation(s)" % k)
        for kind, x in changes:
            if kind == "D":
                emit("D %s\n" % x)
            else:
                put(x)
    emit("reset refs/heads/main\nfrom :%d\n\n" % main_mark)
    out.write(b"".join(chunks))
    out.flush()


if __name__ == "__main__":
    main()
