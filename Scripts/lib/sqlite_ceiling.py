"""The disk's ceiling for the write benchmark: committed single-row transactions per second in
raw SQLite, WAL with synchronous=FULL, in the given folder. Usage: sqlite_ceiling.py DIR"""
import os
import sqlite3
import sys
import time

path = os.path.join(sys.argv[1], "ceiling.sqlite")
connection = sqlite3.connect(path, isolation_level=None)
connection.execute("PRAGMA journal_mode=WAL")
connection.execute("PRAGMA synchronous=FULL")
connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)")
count, start = 0, time.time()
while time.time() - start < 5:
    connection.execute("BEGIN")
    connection.execute("INSERT INTO t (payload) VALUES (?)", ("x" * 200,))
    connection.execute("COMMIT")
    count += 1
print(f"{count / (time.time() - start):.0f}")
connection.close()
for suffix in ["", "-wal", "-shm"]:
    if os.path.exists(path + suffix):
        os.remove(path + suffix)
