#!/usr/bin/env python3
"""Regenerates the mutant models from the specs in specs/src/main.

Each mutant is a folder holding copies of the modules its model needs, one of them broken by a
single textual replacement, and a model (MC module + cfg) that checks only the invariant or
property the break must violate. MutantsTest checks that the unchanged copies still equal the
specs, so after editing a spec run this script (python3 specs/src/test/mutants/mutate.py) and
then `./ladle check --specs specs/src/test/mutants` to see every mutant still bite. The script
also writes the mutants' manifest.json: every mutant is expected violated, naming its target.
"""
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
TLA = HERE.parent.parent / "main" / "tla"
ALLOY = HERE.parent.parent / "main" / "alloy"

NEEDS = {
    "MCIpc": ["CSpace", "Ipc"],
    "MCCSpace": ["CSpace"],
    "MCMemory": ["CSpace", "Memory"],
    "MCKernel": ["CSpace", "Memory", "Ipc", "Kernel"],
    "MCPersistence": ["Persistence"],
    "MCKernelImpl": ["CSpace", "Memory", "Ipc", "Kernel", "KernelImpl"],
    "MCPersistentKernel": ["CSpace", "Memory", "Ipc", "Kernel", "PersistentKernel"],
}

# name, base model, invariant or property, kind, module, [(old, new)], why
TLA_MUTANTS = [
    ("MCIpc_NoLossNoDup", "MCIpc", "NoLossNoDup", "INVARIANTS", "Ipc", [
        ("HasRoom(t, d) == Len(inbox[Target(t, d)]) < MaxMsgs", "HasRoom(t, d) == TRUE"),
        ("[inbox EXCEPT ![r] = Append(inbox[r], [from |-> t, words |-> w, item |-> it])]",
         "[inbox EXCEPT ![r] = IF Len(inbox[r]) < MaxMsgs\n"
         "                         THEN Append(inbox[r], [from |-> t, words |-> w, item |-> it])\n"
         "                         ELSE inbox[r]]")],
     "a send to a full vector reports success and drops the message"),
    ("MCIpc_FifoPerPair", "MCIpc", "FifoPerPair", "INVARIANTS", "Ipc", [
        ("Dequeue(t) == [inbox EXCEPT ![t] = Tail(inbox[t])]",
         "Dequeue(t) == [inbox EXCEPT ![t] = SubSeq(inbox[t], 1, Len(inbox[t]) - 1)]"),
        ("CountReceived(t) ==\n    LET a == inbox[t][1].from IN",
         "CountReceived(t) ==\n    LET a == inbox[t][Len(inbox[t])].from IN"),
        ("    LET a == inbox[t][1].from IN\n    [hTag EXCEPT ![t] = [i \\in 1..(Len(hTag[t]) - 1) |->\n"
         "        IF inbox[t][i + 1].from = a THEN hTag[t][i + 1] - 1 ELSE hTag[t][i + 1]]]",
         "    LET a == inbox[t][Len(inbox[t])].from IN\n    [hTag EXCEPT ![t] = [i \\in 1..(Len(hTag[t]) - 1) |->\n"
         "        IF inbox[t][i].from = a THEN hTag[t][i] - 1 ELSE hTag[t][i]]]")],
     "Receive takes the newest message instead of the oldest"),
    ("MCIpc_VectorsBounded", "MCIpc", "VectorsBounded", "INVARIANTS", "Ipc", [
        ("HasRoom(t, d) == Len(inbox[Target(t, d)]) < MaxMsgs",
         "HasRoom(t, d) == Len(inbox[Target(t, d)]) <= MaxMsgs")],
     "the room check is off by one"),
    ("MCIpc_NoLostWakeup", "MCIpc", "NoLostWakeup", "INVARIANTS", "Ipc", [
        ("WakeReceiver(t, d) == [waiting EXCEPT ![Target(t, d)] = FALSE]",
         "WakeReceiver(t, d) == waiting")],
     "a send does not wake a waiting receiver"),
    ("MCIpc_IpcTypeOK", "MCIpc", "IpcTypeOK", "INVARIANTS", "Ipc", [
        ("Append(inbox[r], [from |-> t, words |-> w, item |-> it])",
         "Append(inbox[r], [from |-> t, words |-> w])")],
     "a delivered message lacks its item field"),
    ("MCCSpace_CapTreeWellFormed", "MCCSpace", "CapTreeWellFormed", "INVARIANTS", "CSpace", [
        ("        IF <<t, l>> \\in capAnc[x][k] THEN {} ELSE capAnc[x][k]]]",
         "        capAnc[x][k]]]")],
     "revoke empties the slots but keeps their ancestor sets"),
    ("MCCSpace_RightsNeverAmplified", "MCCSpace", "RightsNeverAmplified", "INVARIANTS", "CSpace", [
        ("RightsWithin(t, l, m) == m # {} /\\ m \\subseteq cspace[t][l].rights",
         "RightsWithin(t, l, m) == m # {}")],
     "map and copy accept any rights mask"),
    ("MCCSpace_AuthorityConnected", "MCCSpace", "AuthorityConnected", "INVARIANTS", "CSpace", [
        ("    Confined     \\* the confined group: at boot none of its members holds a capability leading out of it\n",
         "    Confined,    \\* the confined group: at boot none of its members holds a capability leading out of it\n"
         "    GlobalThread \\* GlobalThread[d]: the thread local id d names, the same for every caller\n"),
        ("Target(t, d) == cspace[t][d].obj", "Target(t, d) == GlobalThread[d]")],
     "a local id names a thread through one global table, not the caller's own"),
    ("MCCSpace_Confinement", "MCCSpace", "Confinement", "INVARIANTS", "CSpace", [
        ('CanGrant(t, d) == "grant" \\in cspace[t][d].rights',
         'CanGrant(t, d) == "send" \\in cspace[t][d].rights')],
     "the send right is taken as enough to pass items"),
    ("MCCSpace_CSpaceTypeOK", "MCCSpace", "CSpaceTypeOK", "INVARIANTS", "CSpace", [
        ("    [capAnc EXCEPT ![r][FirstFreeSlot(r)] = capAnc[t][l] \\cup {<<t, l>>}]",
         "    [capAnc EXCEPT ![r][FirstFreeSlot(r)] = capAnc[t][l] \\cup {t}]")],
     "map records the sender thread, not its slot, as the parent"),
    ("MCMemory_MdbForest", "MCMemory", "MdbForest", "INVARIANTS", "Memory", [
        ("        IF <<t, v>> \\in mdb[x][k].anc THEN NoFrame ELSE pt[x][k]]]",
         "        IF <<t, v>> \\in mdb[x][k].anc /\\ Cardinality(mdb[x][k].anc) = Cardinality(mdb[t][v].anc) + 1\n"
         "        THEN NoFrame ELSE pt[x][k]]]"),
        ("        IF <<t, v>> \\in mdb[x][k].anc THEN NoMapping ELSE mdb[x][k]]]",
         "        IF <<t, v>> \\in mdb[x][k].anc /\\ Cardinality(mdb[x][k].anc) = Cardinality(mdb[t][v].anc) + 1\n"
         "        THEN NoMapping ELSE mdb[x][k]]]")],
     "unmap removes direct children only, not the whole subtree"),
    ("MCMemory_MdbMatchesPageTables", "MCMemory", "MdbMatchesPageTables", "INVARIANTS", "Memory", [
        ("        IF <<t, v>> \\in mdb[x][k].anc THEN NoMapping ELSE mdb[x][k]]]",
         "        mdb[x][k]]]")],
     "unmap clears the page tables but leaves the database nodes"),
    ("MCMemory_MemTypeOK", "MCMemory", "MemTypeOK", "INVARIANTS", "Memory", [
        ("CopyPageData(t, v) == [frameData EXCEPT ![FreshFrame] = frameData[pt[t][v]]]",
         "CopyPageData(t, v) == [frameData EXCEPT ![FreshFrame] = frameData[pt[t][v]] + Cardinality(Frames)]")],
     "a copy stores contents that are no frame's"),
    ("MCKernel_TypeOK", "MCKernel", "TypeOK", "INVARIANTS", "Ipc", [
        ("Append(inbox[r], [from |-> t, words |-> w, item |-> it])",
         "Append(inbox[r], [from |-> t, words |-> w])")],
     "a delivered message lacks its item field"),
    ("MCKernel_Confinement", "MCKernel", "Confinement", "INVARIANTS", "Kernel", [
        ("MapCap(t, d, w, l, m) ==\n    /\\ Running(t)\n    /\\ CanSend(t, d)\n    /\\ CanGrant(t, d)\n",
         "MapCap(t, d, w, l, m) ==\n    /\\ Running(t)\n    /\\ CanSend(t, d)\n")],
     "MapCap forgets the grant-right guard"),
    ("MCKernel_MdbMatchesPageTables", "MCKernel", "MdbMatchesPageTables", "INVARIANTS", "Kernel", [
        ("    /\\ pt' = GrantPageTables(t, d, v)\n    /\\ mdb' = GrantPageMdb(t, d, v)",
         "    /\\ pt' = GrantPageTables(t, d, v)\n    /\\ mdb' = MapPageMdb(t, d, v)")],
     "GrantPage updates the database as if it were a map"),
    ("MCPersistence_RestoreRespectsDeps", "MCPersistence", "RestoreRespectsDeps", "INVARIANTS", "Persistence", [
        ("    /\\ NotRestored(o)\n    /\\ DepsRestored(o)\n", "    /\\ NotRestored(o)\n")],
     "recovery restores objects in any order"),
    ("MCPersistence_RecoveredStateMatches", "MCPersistence", "RecoveredStateMatches", "INVARIANTS", "Persistence", [
        ("NextRecordValid == replayPos < MaxLsn /\\ NextRec.lsn = replayPos + 1 /\\ NextRec.ok",
         "NextRecordValid == replayPos < MaxLsn /\\ NextRec.lsn = replayPos + 1")],
     "replay applies a torn record (its CRC is not checked)"),
    ("MCPersistence_NothingAckedLost", "MCPersistence", "NothingAckedLost", "INVARIANTS", "Persistence", [
        ("NewDurable == acked < durable", "NewDurable == acked < head"),
        ("    /\\ acked' = durable", "    /\\ acked' = head")],
     "operations are acknowledged before their records are flushed"),
    ("MCPersistence_CheckpointClosed", "MCPersistence", "CheckpointClosed", "INVARIANTS", "Persistence", [
        ("    /\\ Present(o)\n    /\\ NoDependents(o)\n", "    /\\ Present(o)\n")],
     "Delete removes an object others still depend on"),
    ("MCPersistence_LogKeepsNeeded", "MCPersistence", "LogKeepsNeeded", "INVARIANTS", "Persistence", [
        ("LogHasSpace == head + 1 - LogSize <= sealed.lsn", "LogHasSpace == TRUE")],
     "the circular log reuses a slot the sealed checkpoint does not cover"),
    ("MCPersistence_PersistTypeOK", "MCPersistence", "PersistTypeOK", "INVARIANTS", "Persistence", [
        ("    /\\ mem' = [mem EXCEPT ![o] = 3 - mem[o]]", "    /\\ mem' = [mem EXCEPT ![o] = mem[o] + 1]")],
     "Update counts versions up without bound"),
    ("MCPersistence_RecoveryFinishes", "MCPersistence", "RecoveryFinishes", "PROPERTIES", "Persistence", [
        ("AllRestored == restored = CheckpointObjects", "AllRestored == restored = Objects")],
     "replay waits for objects the checkpoint does not hold"),
    ("MCKernelImpl_Refinement", "MCKernelImpl", "Refinement", "PROPERTIES", "KernelImpl", [
        ("[capDepth EXCEPT ![Target(t, d)][FirstFreeSlot(Target(t, d))] = capDepth[t][l] + 1]",
         "[capDepth EXCEPT ![Target(t, d)][FirstFreeSlot(Target(t, d))] = capDepth[t][l]]")],
     "a mapped capability is linked at its parent's depth, as a sibling, so revoking the parent misses it"),
    ("MCKernelImpl_CapListsWellFormed", "MCKernelImpl", "CapListsWellFormed", "INVARIANTS", "KernelImpl", [
        ("IN [capDepth EXCEPT ![n[1]][n[2]] = 0]", "IN capDepth")],
     "a revoke step unlinks the removed entry but leaves its depth behind"),
    ("MCKernelImpl_MdbListsWellFormed", "MCKernelImpl", "MdbListsWellFormed", "INVARIANTS", "KernelImpl", [
        ("IN [mdbDepth EXCEPT ![n[1]][n[2]] = 0]", "IN mdbDepth")],
     "an unmap step unlinks the removed mapping but leaves its depth behind"),
    ("MCKernelImpl_FreeSlotsExact", "MCKernelImpl", "FreeSlotsExact", "INVARIANTS", "KernelImpl", [
        ("ReturnAndTake(freeSlots, t, l, Target(t, d), FirstFreeSlot(Target(t, d)))",
         "[freeSlots EXCEPT ![Target(t, d)] = @ \\ {FirstFreeSlot(Target(t, d))}]")],
     "a grant empties the sender's slot without returning it to the free bitmap"),
    ("MCKernelImpl_FreePagesExact", "MCKernelImpl", "FreePagesExact", "INVARIANTS", "KernelImpl", [
        ("IN [freePages EXCEPT ![n[1]] = @ \\cup {n[2]}]", "IN freePages")],
     "an unmap step clears the page table entry without returning the page to the free bitmap"),
    ("MCKernelImpl_FreeFramesExact", "MCKernelImpl", "FreeFramesExact", "INVARIANTS", "KernelImpl", [
        ("    /\\ free' = free \\ {FreshFrame}\n    /\\ UNCHANGED <<cspace, capNext",
         "    /\\ free' = free\n    /\\ UNCHANGED <<cspace, capNext")],
     "a copy hands out a frame but leaves it in the free bitmap"),
    ("MCKernelImpl_RingsWellFormed", "MCKernelImpl", "RingsWellFormed", "INVARIANTS", "KernelImpl", [
        ("    /\\ msgBuf' = [msgBuf EXCEPT ![t][msgHead[t] + 1] = EmptyMsg]\n", "    /\\ msgBuf' = msgBuf\n")],
     "receive advances the ring's head but leaves the old message in its slot"),
    ("MCPersistentKernel_RecoveredKernelMatches", "MCPersistentKernel", "RecoveredKernelMatches", "INVARIANTS",
     "PersistentKernel", [
        ("    /\\ phase = \"replay\"\n    /\\ rp = Len(log)\n",
         "    /\\ phase = \"replay\"\n    /\\ rp >= Len(log) - 1\n")],
     "recovery resumes before replaying the last durable record"),
    ("MCPersistentKernel_CheckpointMatchesHistory", "MCPersistentKernel", "CheckpointMatchesHistory", "INVARIANTS",
     "PersistentKernel", [
        ("    /\\ ckNew.lsn <= durable\n", "")],
     "a checkpoint is sealed before the log is durable up to its LSN"),
    ("MCPersistentKernel_KernelInvariantsAcrossRecovery", "MCPersistentKernel", "KernelInvariantsAcrossRecovery",
     "INVARIANTS", "PersistentKernel", [
        ("    /\\ mdb' = ck.state[4]\n", "    /\\ mdb' = mdb\n")],
     "restore keeps the mapping database of the crashed kernel instead of the checkpoint's"),
    ("MCPersistentKernel_RecoveryFinishes", "MCPersistentKernel", "RecoveryFinishes", "PROPERTIES",
     "PersistentKernel", [
        ("PKFairSpec == PKSpec /\\ WF_allVars(Restore) /\\ WF_allVars(Replay) /\\ WF_allVars(Resume)",
         "PKFairSpec == PKSpec /\\ WF_allVars(Restore) /\\ WF_allVars(Resume)")],
     "replay steps are not scheduled fairly"),
]

# name, source file, assertion (the only command kept), [(old, new)], why
# Extra model text for mutants that add a constant: (definition in the MC module, cfg binding).
MODEL_EXTRAS = {
    "MCCSpace_AuthorityConnected": ("MCGlobalThread == <<e, b>>\n", "    GlobalThread <- MCGlobalThread\n"),
}

ALLOY_MUTANTS = [
    ("Confinement_AuthorityConfinement", "Confinement", "AuthorityConfinement", [
        ("pred channel[d: Cap] { one holder[d] and Grant in d.rights }",
         "pred channel[d: Cap] { one holder[d] }")],
     "any held capability is a channel for items, Grant right or not"),
    ("Confinement_ConfinementOnTraces", "Confinement", "ConfinementOnTraces", [
        ("pred channel[d: Cap] { one holder[d] and Grant in d.rights }",
         "pred channel[d: Cap] { one holder[d] }")],
     "any held capability is a channel for items, Grant right or not"),
    ("Confinement_NoAuthorityFromNowhere", "Confinement", "NoAuthorityFromNowhere", [
        ("  channel[d] and c in holder[d].caps and n in free and no n.parent\n  n.obj = c.obj and n.rights in c.rights\n",
         "  channel[d] and c in holder[d].caps and n in free and no n.parent\n  n.rights in c.rights\n")],
     "copy may name any thread, not the object of the copied capability"),
    ("Confinement_RightsNeverAmplified", "Confinement", "RightsNeverAmplified", [
        ("  channel[d] and c in holder[d].caps and n in free and n.parent = c\n  n.obj = c.obj and n.rights in c.rights\n",
         "  channel[d] and c in holder[d].caps and n in free and n.parent = c\n  n.obj = c.obj\n")],
     "map accepts any rights"),
    ("RecoveryOrder_KindDepsAcyclic", "RecoveryOrder", "KindDepsAcyclic", [
        ("  + Message -> Thread + Message -> CapEntry + Message -> Frame\n",
         "  + Message -> Thread + Message -> CapEntry + Message -> Frame + Thread -> Message\n")],
     "a thread is made to depend on its queued messages"),
    ("RecoveryOrder_ObjectDepsAcyclic", "RecoveryOrder", "ObjectDepsAcyclic", [
        ("  all o: Obj | o.deps.kind in o.kind.kindDeps\n", "  all o: Obj | some o.deps implies some o.kind.kindDeps\n")],
     "object dependencies are no longer tied to the kind relation"),
    ("RecoveryOrder_RestoreOrderExists", "RecoveryOrder", "RestoreOrderExists", [
        ("+ Thread -> 3 + CapEntry -> 4 + Message -> 5", "+ Thread -> 4 + CapEntry -> 4 + Message -> 5")],
     "threads and capability entries are restored in the same stage"),
    ("RecoveryOrder_ClosedCheckpointSelfContained", "RecoveryOrder", "ClosedCheckpointSelfContained", [
        ("pred closed[c: Checkpoint] { c.objs.deps in c.objs }",
         "pred closed[c: Checkpoint] { (c.objs & kind.Message).deps in c.objs }")],
     "closure is checked for messages only"),
]


def replace_all(text, edits, where):
    for old, new in edits:
        if text.count(old) != 1:
            sys.exit(f"{where}: expected exactly one occurrence of:\n{old}")
        text = text.replace(old, new)
    return text


def model_cfg(base_cfg, check, kind, name, why):
    body = re.sub(r"\n(INVARIANTS|PROPERTIES)\n(    \S+\n)+", "\n", base_cfg)
    lines = body.splitlines()
    lines[0] = f"\\* Mutant: {why}; TLC must report {check} violated."
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).rstrip() + f"\n\n{kind}\n    {check}\n"


def main():
    expected = {}
    for name, base, check, kind, module, edits, why in TLA_MUTANTS:
        out = HERE / name
        out.mkdir(exist_ok=True)
        for m in NEEDS[base]:
            text = (TLA / f"{m}.tla").read_text()
            if m == module:
                text = replace_all(text, edits, f"{name}: {m}.tla")
            (out / f"{m}.tla").write_text(text)
        mc = (TLA / f"{base}.tla").read_text()
        mc = re.sub(r"MODULE " + base + r" ", f"MODULE {name} ", mc, count=1)
        cfg = (TLA / f"{base}.cfg").read_text()
        if name in MODEL_EXTRAS:
            definition, binding = MODEL_EXTRAS[name]
            mc = mc.replace("\n=====", "\n" + definition + "=====", 1)
            cfg = cfg.replace("CONSTANTS\n", "CONSTANTS\n" + binding, 1)
        (out / f"{name}.tla").write_text(mc)
        (out / f"{name}.cfg").write_text(model_cfg(cfg, check, kind, name, why))
        expected[name] = {"engine": "tlc", "expect": "violated", "invariant": check}
    for name, source, check, edits, why in ALLOY_MUTANTS:
        text = (ALLOY / f"{source}.als").read_text()
        text = replace_all(text, edits, f"{name}: {source}.als")
        text = text.replace(f"module {source}\n", f"module {name}\n\n// Mutant: {why}.\n", 1)
        # The commands close each file: keep only this assertion's check.
        line = re.search(r"^check " + check + r"\b.*$", text, flags=re.M).group(0)
        text = text[:text.index("\ncheck ")] + "\n" + line + "\n"
        (HERE / f"{name}.als").write_text(text)
        expected[f"{name}/{check}"] = {"engine": "alloy", "expect": "violated", "invariant": check}
    manifest = {"format": 1, "models": expected}
    (HERE / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
