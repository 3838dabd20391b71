# Writes src/docs/langgraph-audit/<file>.md: one row per test function of LangGraph's test file (found by its `def test_`
# lines, in file order) with the verdict given in the dict VERDICTS of the verdicts file. Fails when a test of the file
# has no verdict or a verdict names no test of the file, so the table cannot silently miss one.
#   python3 audit_table.py <langgraph test file> <verdicts.py> <out.md> <title>
# e.g. (test_pregel.md): python3 src/docs/langgraph-audit/audit_table.py \
#   /work/team/langgraph-src/libs/langgraph/tests/test_pregel.py src/docs/langgraph-audit/test_pregel_verdicts.py \
#   src/docs/langgraph-audit/test_pregel.md "test_pregel.py audit"
import re
import sys

test_file, verdicts_file, out_file, title = sys.argv[1:5]
names = re.findall(r"^(?:async )?def (test_\w+)", open(test_file).read(), re.M)
scope = {}
exec(open(verdicts_file).read(), scope)
verdicts = scope["V"]
missing = [n for n in names if n not in verdicts]
extra = [n for n in verdicts if n not in names]
if missing or extra:
    sys.exit(f"no verdict for {missing}; verdicts for no test: {extra}")
label = {"M": "mirrored", "NA": "not applicable", "NY": "not yet"}
counts = {k: sum(1 for n in names if verdicts[n][0] == k) for k in label}
with open(out_file, "w") as out:
    out.write(f"# {title}\n\n")
    out.write(scope["INTRO"].strip() + "\n\n")
    out.write(f"{len(names)} tests: {counts['M']} mirrored, {counts['NA']} not applicable, {counts['NY']} not yet.\n\n")
    out.write("| # | LangGraph test | Verdict | Java test, or the reason |\n|---|---|---|---|\n")
    for i, n in enumerate(names, 1):
        status, text = verdicts[n]
        out.write(f"| {i} | `{n}` | {label[status]} | {text.replace('|', '/')} |\n")
