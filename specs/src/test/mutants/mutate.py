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

KERNEL = ["CSpace", "Memory", "Ipc", "Kernel", "CSpacePost", "MemoryPost", "IpcPost", "KernelPost"]
NEEDS = {
    "MCIpc": ["CSpace", "Ipc", "IpcPost"],
    "MCCSpace": ["CSpace", "CSpacePost"],
    "MCMemory": ["CSpace", "Memory", "MemoryPost"],
    "MCKernel": KERNEL,
    "MCKernelCaps": KERNEL,
    "MCKernelPages": KERNEL,
    "MCPersistence": ["Persistence", "PersistencePost"],
    "MCPersistenceLog": ["Persistence", "PersistencePost"],
    "MCKernelImpl": ["CSpace", "Memory", "Ipc", "Kernel", "KernelImpl", "KernelImplAccepts", "KernelImplSteps"],
    "MCKernelImplLifecycleThreads": ["CSpace", "Memory", "Ipc", "Kernel", "KernelImpl", "KernelImplAccepts"],
    "MCPersistentKernel": KERNEL + ["Persistence", "PersistentKernel"],
    "MCPersistentKernelCheckpointOnly": ["CSpace", "Memory", "Ipc", "Kernel", "Persistence", "PersistentKernel"],
    "MCKernelLiveness": ["CSpace", "Memory", "Ipc", "Kernel", "KernelLiveness"],
    "MCKernelLifecycle": KERNEL,
    "MCKernelImplLifecycle": ["CSpace", "Memory", "Ipc", "Kernel", "KernelImpl"],
    "MCKernelImplLifecycleOneId": ["CSpace", "Memory", "Ipc", "Kernel", "KernelImpl", "KernelImplAccepts",
                                   "KernelImplSteps", "KernelImplWalks"],
    "MCKernelAuthority": KERNEL,
    "MCKernelCheckpoint": KERNEL,
    "MCKernelImplCheckpoint": ["CSpace", "Memory", "Ipc", "Kernel", "KernelImpl", "KernelImplAccepts", "KernelImplSteps"],
    "MCKernelImplSlots": ["CSpace", "Memory", "Ipc", "Kernel", "KernelImpl", "KernelImplAccepts"],
    "MCKernelImplSelfGrant": ["CSpace", "Memory", "Ipc", "Kernel", "KernelImpl", "KernelImplAccepts"],
    "MCKernelImplLifecycleTwoPages": ["CSpace", "Memory", "Ipc", "Kernel", "KernelImpl", "KernelImplAccepts"],
}

# name, base model, invariant or property, kind, module, [(old, new)], why
TLA_MUTANTS = [
    ("MCIpc_NoLossNoDup", "MCIpc", "NoLossNoDup", "INVARIANTS", "Ipc", [
        ("HasRoom(t, d) == Len(inbox[Target(t, d)]) < MaxMsgs", "HasRoom(t, d) == TRUE"),
        ("[inbox EXCEPT ![r] = Append(inbox[r], [from |-> t, gen |-> g, words |-> w, item |-> it])]",
         "[inbox EXCEPT ![r] = IF Len(inbox[r]) < MaxMsgs\n"
         "                         THEN Append(inbox[r], [from |-> t, gen |-> g, words |-> w, item |-> it])\n"
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
        ("Append(inbox[r], [from |-> t, gen |-> g, words |-> w, item |-> it])",
         "Append(inbox[r], [from |-> t, gen |-> g, words |-> w])")],
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
        ("    [capAnc EXCEPT ![r][s] = capAnc[t][l] \\cup {<<t, l>>}]",
         "    [capAnc EXCEPT ![r][s] = capAnc[t][l] \\cup {t}]")],
     "map records the sender thread, not its slot, as the parent"),
    ("MCMemory_MdbForest", "MCMemory", "MdbForest", "INVARIANTS", "Memory", [
        ("        IF <<Space(t), v>> \\in mdb[x][k].anc THEN NoFrame ELSE pt[x][k]]]",
         "        IF <<Space(t), v>> \\in mdb[x][k].anc /\\ Cardinality(mdb[x][k].anc) = Cardinality(mdb[Space(t)][v].anc) + 1\n"
         "        THEN NoFrame ELSE pt[x][k]]]"),
        ("        IF <<Space(t), v>> \\in mdb[x][k].anc THEN NoMapping ELSE mdb[x][k]]]",
         "        IF <<Space(t), v>> \\in mdb[x][k].anc /\\ Cardinality(mdb[x][k].anc) = Cardinality(mdb[Space(t)][v].anc) + 1\n"
         "        THEN NoMapping ELSE mdb[x][k]]]")],
     "unmap removes direct children only, not the whole subtree"),
    ("MCMemory_MdbMatchesPageTables", "MCMemory", "MdbMatchesPageTables", "INVARIANTS", "Memory", [
        ("        IF <<Space(t), v>> \\in mdb[x][k].anc THEN NoMapping ELSE mdb[x][k]]]",
         "        mdb[x][k]]]")],
     "unmap clears the page tables but leaves the database nodes"),
    ("MCMemory_MemTypeOK", "MCMemory", "MemTypeOK", "INVARIANTS", "Memory", [
        ("CopyPageData(t, v, f) == [frameData EXCEPT ![f] = frameData[pt[Space(t)][v]]]",
         "CopyPageData(t, v, f) == [frameData EXCEPT ![f] = frameData[pt[t][v]] + Cardinality(Frames)]")],
     "a copy stores contents that are no frame's"),
    ("MCKernel_TypeOK", "MCKernel", "TypeOK", "INVARIANTS", "Ipc", [
        ("Append(inbox[r], [from |-> t, gen |-> g, words |-> w, item |-> it])",
         "Append(inbox[r], [from |-> t, gen |-> g, words |-> w])")],
     "a delivered message lacks its item field"),
    ("MCKernel_Confinement", "MCKernel", "Confinement", "INVARIANTS", "Kernel", [
        ("MapCap(t, d, w, l, m, s) ==\n    /\\ Running(t)\n    /\\ CanSend(t, d)\n    /\\ CanGrant(t, d)\n    /\\ ObjectExists(t, d)\n",
         "MapCap(t, d, w, l, m, s) ==\n    /\\ Running(t)\n    /\\ CanSend(t, d)\n    /\\ ObjectExists(t, d)\n")],
     "MapCap forgets the grant-right guard"),
    ("MCKernel_MdbMatchesPageTables", "MCKernel", "MdbMatchesPageTables", "INVARIANTS", "Kernel", [
        ("    /\\ pt' = GrantPageTables(t, d, v, p)\n    /\\ mdb' = GrantPageMdb(t, d, v, p)",
         "    /\\ pt' = GrantPageTables(t, d, v, p)\n    /\\ mdb' = MapPageMdb(t, d, v, p)")],
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
    ("MCPersistenceLog_WrittenFromSnapshot", "MCPersistenceLog", "WrittenFromSnapshot", "INVARIANTS", "Persistence", [
        ("    /\\ CheckpointWriting\n    /\\ InSnapshot(o)\n    /\\ NotWritten(o)\n",
         "    /\\ CheckpointWriting\n    /\\ NotWritten(o)\n")],
     "a checkpoint writes an object absent from its snapshot (one created after the snapshot was taken)"),
    ("MCPersistence_RecoveryFinishes", "MCPersistence", "RecoveryFinishes", "PROPERTIES", "Persistence", [
        ("AllRestored == restored = CheckpointObjects", "AllRestored == restored = Objects")],
     "replay waits for objects the checkpoint does not hold"),
    # Postconditions: each gets a plausible kernel bug that its own property must catch.
    ("MCKernelCaps_RevokePost", "MCKernelCaps", "RevokePost", "PROPERTIES", "CSpace", [
        ("        IF <<t, l>> \\in capAnc[x][k] THEN EmptyCap ELSE cspace[x][k]]]",
         "        IF <<t, l>> \\in capAnc[x][k] /\\ Cardinality(capAnc[x][k]) = Cardinality(capAnc[t][l]) + 1\n"
         "        THEN EmptyCap ELSE cspace[x][k]]]"),
        ("        IF <<t, l>> \\in capAnc[x][k] THEN {} ELSE capAnc[x][k]]]",
         "        IF <<t, l>> \\in capAnc[x][k] /\\ Cardinality(capAnc[x][k]) = Cardinality(capAnc[t][l]) + 1\n"
         "        THEN {} ELSE capAnc[x][k]]]")],
     "revoke removes the direct children of the entry but leaves its grandchildren"),
    ("MCKernel_GrantCapPost", "MCKernel", "GrantCapPost", "PROPERTIES", "CSpace", [
        ("    IN  [cspace EXCEPT ![r][s] = cspace[t][l], ![t][l] = EmptyCap]",
         "    IN  [cspace EXCEPT ![r][s] = cspace[t][l]]")],
     "grant copies the entry and leaves the sender's in place (duplication instead of move)"),
    ("MCKernel_MapCapPost", "MCKernel", "MapCapPost", "PROPERTIES", "CSpace", [
        ("    [cspace EXCEPT ![r][s] = [obj |-> cspace[t][l].obj, rights |-> m, gen |-> cspace[t][l].gen]]",
         "    [cspace EXCEPT ![r][s] = cspace[t][l]]")],
     "map ignores the requested rights mask and passes the sender's rights"),
    ("MCKernelCaps_MapCapPost", "MCKernelCaps", "MapCapPost", "PROPERTIES", "CSpace", [
        ("    [capAnc EXCEPT ![r][s] = capAnc[t][l] \\cup {<<t, l>>}]",
         "    [capAnc EXCEPT ![r][s] = capAnc[t][l]]")],
     "map does not record the derivation (the mapped entry is not revoked with its source)"),
    ("MCKernel_CopyCapPost", "MCKernel", "CopyCapPost", "PROPERTIES", "Kernel", [
        ("    /\\ cspace' = CopyCapTable(t, d, l, m, s)\n    /\\ capAnc' = CopyCapAnc(t, d, s)",
         "    /\\ cspace' = CopyCapTable(t, d, l, m, s)\n    /\\ capAnc' = MapCapAnc(t, d, l, s)")],
     "copy records a derivation, so the copy is revoked with its source"),
    ("MCKernel_SendPost", "MCKernel", "SendPost", "PROPERTIES", "Ipc", [
        ("Append(inbox[r], [from |-> t, gen |-> g, words |-> w, item |-> it])",
         "Append(inbox[r], [from |-> r, gen |-> g, words |-> w, item |-> it])")],
     "the message names its receiver as its sender"),
    ("MCKernel_ReceivePost", "MCKernel", "ReceivePost", "PROPERTIES", "Kernel", [
        ("    /\\ inbox' = Dequeue(t)\n    /\\ hInFlight' = CountReceived(t)\n    /\\ hTag' = UntagReceived(t)\n"
         "    /\\ UNCHANGED <<waiting, cspace",
         "    /\\ inbox' = Dequeue(t)\n    /\\ hInFlight' = CountReceived(t)\n    /\\ hTag' = UntagReceived(t)\n"
         "    /\\ waiting' = StartWaiting(t)\n    /\\ UNCHANGED <<cspace")],
     "receive blocks the receiver after taking its message"),
    ("MCKernel_WaitPost", "MCKernel", "WaitPost", "PROPERTIES", "Kernel", [
        ("Wait(t) ==\n    /\\ Running(t)\n    /\\ InboxEmpty(t)\n", "Wait(t) ==\n    /\\ Running(t)\n")],
     "a thread may block although messages are queued for it"),
    ("MCKernelPages_MapPagePost", "MCKernelPages", "MapPagePost", "PROPERTIES", "Memory", [
        ("anc |-> mdb[Space(t)][v].anc \\cup {<<Space(t), v>>}]]", "anc |-> mdb[Space(t)][v].anc]]")],
     "map does not record the derivation (the mapping is not flushed with its source)"),
    ("MCKernelPages_GrantPagePost", "MCKernelPages", "GrantPagePost", "PROPERTIES", "Memory", [
        ("            ELSE [frame |-> mdb[x][k].frame, anc |-> Rename(mdb[x][k].anc, <<Space(t), v>>, <<Space(r), p>>)]]]",
         "            ELSE mdb[x][k]]]")],
     "grant moves the mapping but leaves the mappings derived from it pointing at the old page"),
    ("MCKernelPages_CopyPagePost", "MCKernelPages", "CopyPagePost", "PROPERTIES", "Memory", [
        ("CopyPageData(t, v, f) == [frameData EXCEPT ![f] = frameData[pt[Space(t)][v]]]",
         "CopyPageData(t, v, f) == frameData")],
     "copy hands out a fresh frame without copying the contents into it"),
    ("MCKernelPages_UnmapPost", "MCKernelPages", "UnmapPost", "PROPERTIES", "Memory", [
        ("        IF <<Space(t), v>> \\in mdb[x][k].anc THEN NoFrame ELSE pt[x][k]]]",
         "        IF <<Space(t), v>> \\in mdb[x][k].anc /\\ Cardinality(mdb[x][k].anc) = Cardinality(mdb[Space(t)][v].anc) + 1\n"
         "        THEN NoFrame ELSE pt[x][k]]]"),
        ("        IF <<Space(t), v>> \\in mdb[x][k].anc THEN NoMapping ELSE mdb[x][k]]]",
         "        IF <<Space(t), v>> \\in mdb[x][k].anc /\\ Cardinality(mdb[x][k].anc) = Cardinality(mdb[Space(t)][v].anc) + 1\n"
         "        THEN NoMapping ELSE mdb[x][k]]]")],
     "unmap flushes the direct children of the page but leaves its grandchildren"),
    ("MCCSpace_CSpaceMapCapPost", "MCCSpace", "CSpaceMapCapPost", "PROPERTIES", "CSpace", [
        ("    [capAnc EXCEPT ![r][s] = capAnc[t][l] \\cup {<<t, l>>}]",
         "    [capAnc EXCEPT ![r][s] = capAnc[t][l]]")],
     "map does not record the derivation (the mapped entry is not revoked with its source)"),
    ("MCCSpace_CSpaceGrantCapPost", "MCCSpace", "CSpaceGrantCapPost", "PROPERTIES", "CSpace", [
        ("    IN  [cspace EXCEPT ![r][s] = cspace[t][l], ![t][l] = EmptyCap]",
         "    IN  [cspace EXCEPT ![r][s] = cspace[t][l], ![t][l].rights = {}]")],
     "grant clears the sender's rights but leaves the object in its slot"),
    ("MCKernelCaps_GrantCapPost", "MCKernelCaps", "GrantCapPost", "PROPERTIES", "CSpace", [
        ("            ELSE Rename(capAnc[x][k], <<t, l>>, <<r, s>>)]]",
         "            ELSE capAnc[x][k]]]")],
     "grant moves the entry but leaves the entries derived from it pointing at the old slot"),
    ("MCCSpace_CSpaceCopyCapPost", "MCCSpace", "CSpaceCopyCapPost", "PROPERTIES", "CSpace", [
        ("    /\\ cspace' = CopyCapTable(t, d, l, m, s)\n    /\\ capAnc' = CopyCapAnc(t, d, s)",
         "    /\\ cspace' = CopyCapTable(t, d, l, cspace[t][l].rights, s)\n    /\\ capAnc' = CopyCapAnc(t, d, s)")],
     "copy ignores the requested rights mask"),
    ("MCCSpace_CSpaceRevokePost", "MCCSpace", "CSpaceRevokePost", "PROPERTIES", "CSpace", [
        ("        IF <<t, l>> \\in capAnc[x][k] THEN EmptyCap ELSE cspace[x][k]]]",
         "        IF <<t, l>> \\in capAnc[x][k] \\/ <<x, k>> = <<t, l>> THEN EmptyCap ELSE cspace[x][k]]]"),
        ("        IF <<t, l>> \\in capAnc[x][k] THEN {} ELSE capAnc[x][k]]]",
         "        IF <<t, l>> \\in capAnc[x][k] \\/ <<x, k>> = <<t, l>> THEN {} ELSE capAnc[x][k]]]")],
     "revoke also deletes the revoker's own entry"),
    ("MCMemory_MemMapPagePost", "MCMemory", "MemMapPagePost", "PROPERTIES", "Memory", [
        ("    [pt EXCEPT ![Space(r)][p] = pt[Space(t)][v]]\n\nMapPageMdb",
         "    [pt EXCEPT ![Space(r)][p] = pt[Space(t)][v], ![Space(t)][v] = NoFrame]\n\nMapPageMdb")],
     "map takes the page away from the sender (a grant)"),
    ("MCMemory_MemGrantPagePost", "MCMemory", "MemGrantPagePost", "PROPERTIES", "Memory", [
        ("    [pt EXCEPT ![Space(r)][p] = pt[Space(t)][v], ![Space(t)][v] = NoFrame]\n\nGrantPageMdb",
         "    [pt EXCEPT ![Space(r)][p] = pt[Space(t)][v]]\n\nGrantPageMdb")],
     "grant leaves the sender's page mapped (duplication instead of move)"),
    ("MCMemory_MemCopyPagePost", "MCMemory", "MemCopyPagePost", "PROPERTIES", "Memory", [
        ("    /\\ frameData' = CopyPageData(t, v, f)\n    /\\ free' = free \\ {f}\n    /\\ UNCHANGED <<proc, cspace, capAnc>>",
         "    /\\ frameData' = CopyPageData(t, v, f)\n    /\\ free' = free\n    /\\ UNCHANGED <<proc, cspace, capAnc>>")],
     "copy hands out a frame without taking it out of the free pool"),
    ("MCMemory_MemUnmapPost", "MCMemory", "MemUnmapPost", "PROPERTIES", "Memory", [
        ("        IF <<Space(t), v>> \\in mdb[x][k].anc THEN NoFrame ELSE pt[x][k]]]",
         "        IF <<Space(t), v>> \\in mdb[x][k].anc \\/ <<x, k>> = <<Space(t), v>> THEN NoFrame ELSE pt[x][k]]]"),
        ("        IF <<Space(t), v>> \\in mdb[x][k].anc THEN NoMapping ELSE mdb[x][k]]]",
         "        IF <<Space(t), v>> \\in mdb[x][k].anc \\/ <<x, k>> = <<Space(t), v>> THEN NoMapping ELSE mdb[x][k]]]")],
     "unmap also unmaps the page itself"),
    ("MCIpc_IpcSendPost", "MCIpc", "IpcSendPost", "PROPERTIES", "Ipc", [
        ("WakeReceiver(t, d) == [waiting EXCEPT ![Target(t, d)] = FALSE]",
         "WakeReceiver(t, d) == [waiting EXCEPT ![t] = FALSE]")],
     "a send wakes the sender instead of the receiver"),
    ("MCIpc_IpcReceivePost", "MCIpc", "IpcReceivePost", "PROPERTIES", "Ipc", [
        ("Dequeue(t) == [inbox EXCEPT ![t] = Tail(inbox[t])]",
         "Dequeue(t) == [inbox EXCEPT ![t] = SubSeq(inbox[t], 1, Len(inbox[t]) - 1)]")],
     "receive takes the newest message instead of the oldest"),
    ("MCIpc_IpcWaitPost", "MCIpc", "IpcWaitPost", "PROPERTIES", "Ipc", [
        ("InboxEmpty(t) == inbox[t] = <<>>", "InboxEmpty(t) == TRUE")],
     "a thread may block although messages are queued for it"),
    ("MCIpc_VectorsChangeAtEnds", "MCIpc", "VectorsChangeAtEnds", "PROPERTIES", "Ipc", [
        ("[inbox EXCEPT ![r] = Append(inbox[r], [from |-> t, gen |-> g, words |-> w, item |-> it])]",
         "[inbox EXCEPT ![r] = <<[from |-> t, gen |-> g, words |-> w, item |-> it]>> \\o inbox[r]]")],
     "a send puts its message at the front of the vector"),
    ("MCPersistence_CreatePost", "MCPersistence", "CreatePost", "PROPERTIES", "Persistence", [
        ("    /\\ mem' = [mem EXCEPT ![o] = 1]\n    /\\ head' = head + 1\n    /\\ buf' = Append(buf, NewRec(o, 1))",
         "    /\\ mem' = [mem EXCEPT ![o] = 1]\n    /\\ head' = head\n    /\\ buf' = Append(buf, NewRec(o, 1))")],
     "create logs its record under the LSN of the previous one"),
    ("MCPersistence_UpdatePost", "MCPersistence", "UpdatePost", "PROPERTIES", "Persistence", [
        ("    /\\ buf' = Append(buf, NewRec(o, 3 - mem[o]))", "    /\\ buf' = Append(buf, NewRec(o, mem[o]))")],
     "an update logs the old value instead of the new one"),
    ("MCPersistence_DeletePost", "MCPersistence", "DeletePost", "PROPERTIES", "Persistence", [
        ("    /\\ mem' = [mem EXCEPT ![o] = Absent]\n    /\\ head' = head + 1\n    /\\ buf' = Append(buf, NewRec(o, Absent))",
         "    /\\ mem' = [mem EXCEPT ![o] = Absent]\n    /\\ head' = head + 1\n    /\\ buf' = buf")],
     "a delete is not logged"),
    ("MCPersistence_FlushPost", "MCPersistence", "FlushPost", "PROPERTIES", "Persistence", [
        ("    /\\ durable' = buf[1].lsn\n    /\\ buf' = Tail(buf)", "    /\\ durable' = buf[1].lsn\n    /\\ buf' = buf")],
     "a flushed record stays in the buffer and is written again"),
    ("MCPersistenceLog_FlushPost", "MCPersistenceLog", "FlushPost", "PROPERTIES", "Persistence", [
        ("    /\\ durable' = buf[1].lsn", "    /\\ durable' = head")],
     "flushing one record marks every buffered record durable"),
    ("MCPersistence_AckPost", "MCPersistence", "AckPost", "PROPERTIES", "Persistence", [
        ("NewDurable == acked < durable", "NewDurable == acked < head"),
        ("    /\\ acked' = durable", "    /\\ acked' = head")],
     "operations are acknowledged before their records are flushed"),
    ("MCPersistence_BeginCheckpointPost", "MCPersistence", "BeginCheckpointPost", "PROPERTIES", "Persistence", [
        ("    /\\ snapLsn' = head", "    /\\ snapLsn' = durable")],
     "the snapshot is labelled with the durable LSN although it holds buffered updates"),
    ("MCPersistenceLog_WriteObjectPost", "MCPersistenceLog", "WriteObjectPost", "PROPERTIES", "Persistence", [
        ("    /\\ spare' = [spare EXCEPT ![o] = snap[o]]", "    /\\ spare' = [spare EXCEPT ![o] = mem[o]]")],
     "the checkpoint writes the live value instead of the copy-on-write snapshot"),
    ("MCPersistence_SealPost", "MCPersistence", "SealPost", "PROPERTIES", "Persistence", [
        ("    /\\ AllWritten\n    /\\ LogDurableToSnapshot\n", "    /\\ AllWritten\n")],
     "seal switches the superblock before the log is durable up to the snapshot"),
    ("MCPersistence_CrashPost", "MCPersistence", "CrashPost", "PROPERTIES", "Persistence", [
        ("    /\\ disk' = IF torn THEN [disk EXCEPT ![Slot(buf[1].lsn)] = [buf[1] EXCEPT !.ok = FALSE]]",
         "    /\\ disk' = IF torn THEN [disk EXCEPT ![Slot(buf[1].lsn)] = [buf[1] EXCEPT !.ok = TRUE]]")],
     "a record caught in the middle of its flush lands whole (the model forgets torn writes)"),
    ("MCPersistence_LoadCheckpointPost", "MCPersistence", "LoadCheckpointPost", "PROPERTIES", "Persistence", [
        ("    /\\ sysPhase' = \"restoring\"\n    /\\ restored' = {}\n    /\\ UNCHANGED <<mem, head, buf, durable, disk, acked, ckPhase, snap, snapLsn, written,\n                   spare, sealed, replayPos, crashes, hDurable>>",
         "    /\\ sysPhase' = \"restoring\"\n    /\\ restored' = {}\n    /\\ sealed' = [sealed EXCEPT !.vals = spare]\n    /\\ UNCHANGED <<mem, head, buf, durable, disk, acked, ckPhase, snap, snapLsn, written,\n                   spare, replayPos, crashes, hDurable>>")],
     "recovery loads the spare area instead of the sealed checkpoint"),
    ("MCPersistence_RestoreObjectPost", "MCPersistence", "RestoreObjectPost", "PROPERTIES", "Persistence", [
        ("    /\\ mem' = [mem EXCEPT ![o] = sealed.vals[o]]", "    /\\ mem' = [mem EXCEPT ![o] = 1]")],
     "recovery restores an object's boot image instead of its checkpointed value"),
    ("MCPersistence_StartReplayPost", "MCPersistence", "StartReplayPost", "PROPERTIES", "Persistence", [
        ("    /\\ replayPos' = sealed.lsn", "    /\\ replayPos' = 0")],
     "replay starts from the beginning of the log instead of the checkpoint's LSN"),
    ("MCPersistence_ReplayRecordPost", "MCPersistence", "ReplayRecordPost", "PROPERTIES", "Persistence", [
        ("NextRecordValid == replayPos < MaxLsn /\\ NextRec.lsn = replayPos + 1 /\\ NextRec.ok",
         "NextRecordValid == replayPos < MaxLsn /\\ NextRec.lsn > 0 /\\ NextRec.ok")],
     "replay applies whatever intact record the slot holds, a stale one from an earlier lap included"),
    ("MCPersistence_ResumePost", "MCPersistence", "ResumePost", "PROPERTIES", "Persistence", [
        ("    /\\ Replaying\n    /\\ EndOfLog\n", "    /\\ Replaying\n")],
     "recovery may resume before it has replayed the whole durable log"),
    ("MCPersistence_NoLsnReused", "MCPersistence", "NoLsnReused", "PROPERTIES", "Persistence", [
        ("    /\\ head' = replayPos\n", "    /\\ head' = sealed.lsn\n")],
     "after recovery the next LSN restarts at the checkpoint, reusing LSNs of durable records"),
    ("MCKernelImpl_Refinement", "MCKernelImpl", "Refinement", "PROPERTIES", "KernelImpl", [
        ("[capDepth EXCEPT ![Target(t, d)][s] = capDepth[t][l] + 1]",
         "[capDepth EXCEPT ![Target(t, d)][s] = capDepth[t][l]]")],
     "a mapped capability is linked at its parent's depth, as a sibling, so revoking the parent misses it"),
    ("MCKernelImpl_CapListsWellFormed", "MCKernelImpl", "CapListsWellFormed", "INVARIANTS", "KernelImpl", [
        ("IN [capDepth EXCEPT ![n[1]][n[2]] = 0]", "IN capDepth")],
     "a revoke step unlinks the removed entry but leaves its depth behind"),
    ("MCKernelImpl_MdbListsWellFormed", "MCKernelImpl", "MdbListsWellFormed", "INVARIANTS", "KernelImpl", [
        ("IN [mdbDepth EXCEPT ![n[1]][n[2]] = 0]", "IN mdbDepth")],
     "an unmap step unlinks the removed mapping but leaves its depth behind"),
    ("MCKernelImpl_FreeSlotsExact", "MCKernelImpl", "FreeSlotsExact", "INVARIANTS", "KernelImpl", [
        ("ReturnAndTake(freeSlots, t, l, Target(t, d), s)",
         "[freeSlots EXCEPT ![Target(t, d)] = @ \\ {s}]")],
     "a grant empties the sender's slot without returning it to the free bitmap"),
    ("MCKernelImpl_FreePagesExact", "MCKernelImpl", "FreePagesExact", "INVARIANTS", "KernelImpl", [
        ("IN [freePages EXCEPT ![n[1]] = @ \\cup {n[2]}]", "IN freePages")],
     "an unmap step clears the page table entry without returning the page to the free bitmap"),
    ("MCKernelImpl_FreeFramesExact", "MCKernelImpl", "FreeFramesExact", "INVARIANTS", "KernelImpl", [
        ("    /\\ free' = free \\ {f}\n    /\\ freeFrameHead'",
         "    /\\ free' = free\n    /\\ freeFrameHead'")],
     "a copy hands out a frame but leaves it in the free bitmap"),
    ("MCKernelImpl_FreeFrameListExact", "MCKernelImpl", "FreeFrameListExact", "INVARIANTS", "KernelImpl", [
        ("    /\\ freeFrameHead' = freeFrameNext[f]\n", "    /\\ freeFrameHead' = f\n")],
     "a copy takes the head of the free list of frames but leaves it there"),
    ("MCKernelImpl_FreeSlotListExact", "MCKernelImpl", "FreeSlotListExact", "INVARIANTS", "KernelImpl", [
        ("PopSlotHead(r, s) == [freeSlotHead EXCEPT ![r] = freeSlotNext[r][s]]",
         "PopSlotHead(r, s) == [freeSlotHead EXCEPT ![r] = s]")],
     "an entry lands in the head of the receiver's free list of slots but leaves it there"),
    ("MCKernelImpl_FreePageListExact", "MCKernelImpl", "FreePageListExact", "INVARIANTS", "KernelImpl", [
        ("PopPageHead(r, p) == [freePageHead EXCEPT ![r] = PageRest(r, p)]",
         "PopPageHead(r, p) == [freePageHead EXCEPT ![r] = p]")],
     "a page item lands in the head of the receiver's free list of pages but leaves it there"),
    ("MCKernelImpl_RingsWellFormed", "MCKernelImpl", "RingsWellFormed", "INVARIANTS", "KernelImpl", [
        ("    /\\ msgBuf' = [msgBuf EXCEPT ![t][msgHead[t] + 1] = EmptyMsg]\n", "    /\\ msgBuf' = msgBuf\n")],
     "receive advances the ring's head but leaves the old message in its slot"),
    ("MCPersistentKernel_RecoveredKernelMatches", "MCPersistentKernel", "RecoveredKernelMatches", "INVARIANTS",
     "PersistentKernel", [
        ("    /\\ phase' = \"replay\"\n    /\\ rp' = ck.lsn\n", "    /\\ phase' = \"replay\"\n    /\\ rp' = 0\n")],
     "replay starts at the beginning of the log, re-applying records the checkpoint covers"),
    ("MCPersistentKernel_CheckpointMatchesHistory", "MCPersistentKernel", "CheckpointMatchesHistory", "INVARIANTS",
     "PersistentKernel", [
        ("    /\\ ckNew.lsn <= durable\n", "")],
     "a checkpoint is sealed before the log is durable up to its LSN"),
    ("MCPersistentKernel_KernelInvariantsAcrossRecovery", "MCPersistentKernel", "KernelInvariantsAcrossRecovery",
     "INVARIANTS", "PersistentKernel", [
        ("IF PageTableObj(q) \\in R THEN k.mdb[q] ELSE", "IF FALSE THEN k.mdb[q] ELSE")],
     "restoring a page table restores its mappings but not their mapping-database nodes"),
    ("MCPersistentKernel_RestoreRespectsDeps", "MCPersistentKernel", "RestoreRespectsDeps", "INVARIANTS",
     "PersistentKernel", [
        ("DepsRestored(o) == DepsOf(ck.state, o) \\subseteq restored\n",
         "KindList == <<\"frame\", \"pageTable\", \"addressSpace\", \"capTable\", \"capEntry\", \"thread\", \"message\">>\n"
         "KindAt(o) == CHOOSE i \\in 1..7 : KindList[i] = KindOf(o)\n"
         "DepsRestored(o) == \\A p \\in CkObjects : KindAt(p) < KindAt(o) => p \\in restored\n")],
     "recovery restores kind by kind in a fixed list (Kinds' listing order), not in the order the state dictates:"
     " an entry comes before the thread it names"),
    ("MCPersistentKernel_KernelDepsWithinKindDeps", "MCPersistentKernel", "KernelDepsWithinKindDeps", "INVARIANTS",
     "PersistentKernel", [
        ("      [] KindOf(o) = \"capEntry\" -> {CapTableObj(o[2]), ThreadObj(k.cspace[o[2]][o[3]].obj)}",
         "      [] KindOf(o) = \"capEntry\" -> {CapTableObj(o[2]), ThreadObj(k.cspace[o[2]][o[3]].obj)}\n"
         "                                      \\cup {CapEntryObj(n[1], n[2]) : n \\in k.capAnc[o[2]][o[3]]}")],
     "an entry is restored after the entries it was derived from, an edge KindDeps does not have"),
    ("MCPersistentKernel_DurableRecordsKept", "MCPersistentKernel", "DurableRecordsKept", "PROPERTIES",
     "PersistentKernel", [
        ("    /\\ RecoverFrom = \"log\" => rp = Len(log)\n", "")],
     "log recovery may resume before the end of the durable log"),
    ("MCPersistentKernelCheckpointOnly_NothingAckedLost", "MCPersistentKernelCheckpointOnly", "NothingAckedLost",
     "INVARIANTS", "PersistentKernel", [
        ("    /\\ hAcked' = IF RecoverFrom = \"log\" THEN n ELSE hAcked\n", "    /\\ hAcked' = n\n")],
     "checkpoint-only recovery acknowledges an operation once its record is flushed"),
    ("MCPersistentKernel_RecoveryFinishes", "MCPersistentKernel", "RecoveryFinishes", "PROPERTIES",
     "PersistentKernel", [
        ("PKFairSpec == PKSpec /\\ WF_allVars(RecoveryStep)",
         "PKFairSpec == PKSpec /\\ WF_allVars(Load \\/ StartReplay \\/ Replay \\/ Resume)")],
     "restore steps are not scheduled fairly"),
    ("MCPersistentKernel_CheckpointEventuallySealed", "MCPersistentKernel", "CheckpointEventuallySealed",
     "PROPERTIES", "PersistentKernel", [
        ("    /\\ ckOpen\n    /\\ ckNew.lsn <= durable\n", "    /\\ ckOpen\n    /\\ ckNew.lsn < durable\n")],
     "Seal waits for a durable record after the snapshot's LSN, which may never come"),
    ("MCKernelLiveness_MessagesEventuallyReceived", "MCKernelLiveness", "MessagesEventuallyReceived", "PROPERTIES",
     "Kernel", [
        ("Wait(t) ==\n    /\\ Running(t)\n    /\\ InboxEmpty(t)\n", "Wait(t) ==\n    /\\ Running(t)\n")],
     "a thread may wait with messages queued, and nothing wakes it"),
    ("MCKernelLiveness_WaitingThreadWakes", "MCKernelLiveness", "WaitingThreadWakes", "PROPERTIES", "Ipc", [
        ("WakeReceiver(t, d) == [waiting EXCEPT ![Target(t, d)] = FALSE]", "WakeReceiver(t, d) == waiting")],
     "a send does not wake a waiting receiver"),
    # Lifecycle: processes, thread and process creation and deletion (MCKernelLifecycle, MCKernelImplLifecycle).
    ("MCKernelLifecycle_FreeThreadsParked", "MCKernelLifecycle", "FreeThreadsParked", "INVARIANTS", "Kernel", [
        ("Park(D) == [x \\in Threads |-> IF x \\in D THEN TRUE ELSE waiting[x]]", "Park(D) == waiting")],
     "a deleted thread is left runnable"),
    ("MCKernelLifecycle_NoCapToDeadObject", "MCKernelLifecycle", "NoCapToDeadObject", "INVARIANTS", "Kernel", [
        ("    /\\ gen' = BumpGen(DeletedThreads(t, d))\n", "    /\\ gen' = gen\n")],
     "deleting a thread keeps its generation, so the capabilities that named it still name its next incarnation"),
    ("MCKernelLifecycle_EmptyProcessHasNoPages", "MCKernelLifecycle", "EmptyProcessHasNoPages", "INVARIANTS", "Kernel", [
        ("FreedSpaces(t, d) == IF LastThread(Target(t, d)) THEN {proc[Target(t, d)]} ELSE {}",
         "FreedSpaces(t, d) == {}")],
     "deleting the last thread of a process leaves its address space behind"),
    ("MCKernelLifecycle_NoFrameLeaked", "MCKernelLifecycle", "NoFrameLeaked", "INVARIANTS", "Kernel", [
        ("    /\\ free' = free \\cup FramesFreed(ProcessSpace(t, d))\n", "    /\\ free' = free\n")],
     "deleting a process unmaps its pages but never returns their frames to the allocator"),
    ("MCKernelLifecycle_SendPost", "MCKernelLifecycle", "SendPost", "PROPERTIES", "Kernel", [
        ("Send(t, d, w) ==\n    /\\ Running(t)\n    /\\ HoldsCap(t, d)\n    /\\ CanSend(t, d)\n    /\\ ObjectExists(t, d)\n",
         "Send(t, d, w) ==\n    /\\ Running(t)\n    /\\ HoldsCap(t, d)\n    /\\ CanSend(t, d)\n")],
     "a send through a capability of a deleted thread is delivered to whatever now lives in its object"),
    ("MCKernelLifecycle_CreateThreadPost", "MCKernelLifecycle", "CreateThreadPost", "PROPERTIES", "Kernel", [
        ("CreatedCap(u) == [obj |-> u, rights |-> Rights, gen |-> gen[u]]",
         "CreatedCap(u) == [obj |-> u, rights |-> Rights, gen |-> 0]")],
     "the creator's capability names the object's first generation, not its current one"),
    ("MCKernelLifecycle_CreateProcessPost", "MCKernelLifecycle", "CreateProcessPost", "PROPERTIES", "Kernel", [
        ("    /\\ FreeThread(u)\n    /\\ FreeProcess(q)\n", "    /\\ FreeThread(u)\n")],
     "a new process may be created in a process object that is still in use"),
    ("MCKernelLifecycle_DeleteThreadPost", "MCKernelLifecycle", "DeleteThreadPost", "PROPERTIES", "Kernel", [
        ("    /\\ inbox' = DeleteInbox(DeletedThreads(t, d))\n", "    /\\ inbox' = inbox\n")],
     "deleting a thread keeps the messages queued for it (the next thread in its object receives them)"),
    ("MCKernelLifecycle_DeleteProcessPost", "MCKernelLifecycle", "DeleteProcessPost", "PROPERTIES", "Kernel", [
        ("    /\\ gen' = BumpGen(ProcessThreads(t, d))\n", "    /\\ gen' = gen\n")],
     "deleting a process keeps its threads' generations"),
    ("MCKernelLifecycle_NoMsgFromReusedObject", "MCKernelLifecycle", "NoMsgFromReusedObject", "INVARIANTS",
     "Kernel", [
        ("    /\\ inbox' = Deliver(t, d, w, NoItem, gen[t])\n",
         "    /\\ inbox' = Deliver(t, d, w, NoItem, gen[Target(t, d)])\n")],
     "a send stamps its message with the receiver's generation instead of the sender's"),
    ("MCKernelLifecycle_SendPostOfGeneration", "MCKernelLifecycle", "SendPost", "PROPERTIES", "Kernel", [
        ("    /\\ inbox' = Deliver(t, d, w, NoItem, gen[t])\n", "    /\\ inbox' = Deliver(t, d, w, NoItem, 0)\n")],
     "a send stamps its message with the first generation, so a message of a reused object's thread names its"
     " first incarnation"),
    ("MCKernelImplLifecycle_FreeThreadListExact", "MCKernelImplLifecycle", "FreeThreadListExact", "INVARIANTS",
     "KernelImpl", [
        ("    /\\ freeThrHead' = delThread\n", "    /\\ freeThrHead' = freeThrHead\n")],
     "a deleted thread object is parked but not put back on the free list"),
    ("MCKernelImplLifecycle_FreeProcListExact", "MCKernelImplLifecycle", "FreeProcListExact", "INVARIANTS",
     "KernelImpl", [
        ("    /\\ freeProcHead' = delSpace\n", "    /\\ freeProcHead' = freeProcHead\n")],
     "a deleted address space's process object joins the free bitmap but not the free list"),
    ("MCKernelImplLifecycle_FreeFrameListExact", "MCKernelImplLifecycle", "FreeFrameListExact", "INVARIANTS",
     "KernelImpl", [
        ("    /\\ freeFrameHead' = IF mdbPrev[pageWalk[1]][pageWalk[2]] = Nil THEN pt[pageWalk[1]][pageWalk[2]] ELSE freeFrameHead\n",
         "    /\\ freeFrameHead' = freeFrameHead\n")],
     "a deleted address space's frame returns to the free bitmap but not to the free list"),
    ("MCKernelImplLifecycle_FreeSlotListExact", "MCKernelImplLifecycle", "FreeSlotListExact", "INVARIANTS",
     "KernelImpl", [
        ("    /\\ freeSlotHead' = PushSlotHead(capWalk[1], capWalk[2])\n", "    /\\ freeSlotHead' = freeSlotHead\n")],
     "a deleted thread's slot returns to the free bitmap but not to the free list"),
    ("MCKernelImplLifecycle_FreePageListExact", "MCKernelImplLifecycle", "FreePageListExact", "INVARIANTS",
     "KernelImpl", [
        ("    /\\ freePageHead' = PushPageHead(pageWalk[1], pageWalk[2])\n", "    /\\ freePageHead' = freePageHead\n")],
     "a deleted address space's page returns to the free bitmap but not to the free list"),
    # The mark matters only once a deletion has emptied an address space: its reset is told from a list left as the
    # deletion pushed it only in an address space of more than one page (docs/mutation.md).
    ("MCKernelImplLifecycleTwoPages_FreeSpaceFillsFirstPage", "MCKernelImplLifecycleTwoPages",
     "FreeSpaceFillsFirstPage", "INVARIANTS", "KernelImpl", [
        ("    /\\ freePageHead' = [freePageHead EXCEPT ![delSpace] = NoPage]\n"
         "    /\\ freePageMark' = [freePageMark EXCEPT ![delSpace] = 1]\n",
         "    /\\ UNCHANGED <<freePageHead, freePageMark>>\n")],
     "a deleted address space keeps its free list, highest page first, so a reused process fills its last page first"),
    ("MCKernelImplLifecycleThreads_FreePageListExact", "MCKernelImplLifecycleThreads", "FreePageListExact",
     "INVARIANTS", "KernelImpl", [
        ("    ELSE [freePageMark EXCEPT ![r] = IF p = Cardinality(VPages) THEN NoPage ELSE p + 1]",
         "    ELSE freePageMark")],
     "a page item lands in the mark of an address space with an empty list but the mark does not move"),
    ("MCKernelImplSelfGrant_FreePageListExact", "MCKernelImplSelfGrant", "FreePageListExact", "INVARIANTS",
     "KernelImpl", [
        ("    IF r = x THEN [freePageNext EXCEPT ![x][p] = NoPage, ![x][v] = PageRest(x, p)]",
         "    IF r = x THEN [freePageNext EXCEPT ![x][p] = NoPage]")],
     "a page granted within its own address space is pushed in front of the head's rest but loses it"),
    # Only a model whose free list of slots goes out of increasing order tells the lowest free slot from the
    # head: every other model's lists stay ascending where a fill is enabled (docs/mutation.md).
    ("MCKernelImplSlots_FreeSlotListExact", "MCKernelImplSlots", "FreeSlotListExact", "INVARIANTS", "KernelImpl", [
        ("SlotAvailable(r, s) == s = freeSlotHead[r]",
         "SlotAvailable(r, s) == s \\in freeSlots[r] /\\ \\A k \\in freeSlots[r] : s <= k")],
     "an entry lands in the lowest free slot (the bitmap's first bit) but the head of the free list is popped"),
    ("MCKernelImpl_SendAccepted", "MCKernelImpl", "SendAccepted", "INVARIANTS", "KernelImpl", [
        ("Send(t, d, w) ==\n    /\\ Idle\n", "Send(t, d, w) ==\n    /\\ Idle\n    /\\ msgCount[Target(t, d)] > 0\n")],
     "a send to a thread with an empty vector is refused (the room test inverted)"),
    ("MCKernelImpl_MapPageAccepted", "MCKernelImpl", "MapPageAccepted", "INVARIANTS", "KernelImpl", [
        ("MapPage(t, d, w, v, p) ==\n    /\\ Idle\n", "MapPage(t, d, w, v, p) ==\n    /\\ Idle\n    /\\ msgCount[Target(t, d)] > 0\n")],
     "a page map to a thread with an empty vector is refused (the room test inverted)"),
    ("MCKernelImpl_GrantPageAccepted", "MCKernelImpl", "GrantPageAccepted", "INVARIANTS", "KernelImpl", [
        ("GrantPage(t, d, w, v, p) ==\n    /\\ Idle\n", "GrantPage(t, d, w, v, p) ==\n    /\\ Idle\n    /\\ msgCount[Target(t, d)] > 0\n")],
     "a page grant to a thread with an empty vector is refused (the room test inverted)"),
    ("MCKernelImpl_CopyPageAccepted", "MCKernelImpl", "CopyPageAccepted", "INVARIANTS", "KernelImpl", [
        ("CopyPage(t, d, w, v, f, p) ==\n    /\\ Idle\n", "CopyPage(t, d, w, v, f, p) ==\n    /\\ Idle\n    /\\ msgCount[Target(t, d)] > 0\n")],
     "a page copy to a thread with an empty vector is refused (the room test inverted)"),
    ("MCKernelImpl_MapCapAccepted", "MCKernelImpl", "MapCapAccepted", "INVARIANTS", "KernelImpl", [
        ("MapCap(t, d, w, l, m, s) ==\n    /\\ Idle\n", "MapCap(t, d, w, l, m, s) ==\n    /\\ Idle\n    /\\ msgCount[Target(t, d)] > 0\n")],
     "a capability map to a thread with an empty vector is refused (the room test inverted)"),
    ("MCKernelImpl_GrantCapAccepted", "MCKernelImpl", "GrantCapAccepted", "INVARIANTS", "KernelImpl", [
        ("GrantCap(t, d, w, l, s) ==\n    /\\ Idle\n", "GrantCap(t, d, w, l, s) ==\n    /\\ Idle\n    /\\ msgCount[Target(t, d)] > 0\n")],
     "a capability grant to a thread with an empty vector is refused (the room test inverted)"),
    ("MCKernelImpl_CopyCapAccepted", "MCKernelImpl", "CopyCapAccepted", "INVARIANTS", "KernelImpl", [
        ("CopyCap(t, d, w, l, m, s) ==\n    /\\ Idle\n", "CopyCap(t, d, w, l, m, s) ==\n    /\\ Idle\n    /\\ msgCount[Target(t, d)] > 0\n")],
     "a capability copy to a thread with an empty vector is refused (the room test inverted)"),
    ("MCKernelImpl_ReceiveAccepted", "MCKernelImpl", "ReceiveAccepted", "INVARIANTS", "KernelImpl", [
        ("Receive(t) ==\n    /\\ Idle\n", "Receive(t) ==\n    /\\ Idle\n    /\\ msgCount[t] > 1\n")],
     "a receive needs two queued messages (an off-by-one in the empty test)"),
    ("MCKernelImpl_WaitAccepted", "MCKernelImpl", "WaitAccepted", "INVARIANTS", "KernelImpl", [
        ("Wait(t) ==\n    /\\ Idle\n", "Wait(t) ==\n    /\\ Idle\n    /\\ \\A u \\in Threads : ~waiting[u]\n")],
     "a thread cannot wait while another thread waits"),
    ("MCKernelImpl_UnmapAccepted", "MCKernelImpl", "UnmapAccepted", "INVARIANTS", "KernelImpl", [
        ("Unmap(t, v) ==\n    /\\ Idle\n", "Unmap(t, v) ==\n    /\\ Idle\n    /\\ mdbNext[proc[t]][v] = Nil\n")],
     "an unmap of a page with a node after it in its list is refused"),
    ("MCKernelImpl_RevokeAccepted", "MCKernelImpl", "RevokeAccepted", "INVARIANTS", "KernelImpl", [
        ("Revoke(t, l) ==\n    /\\ Idle\n", "Revoke(t, l) ==\n    /\\ Idle\n    /\\ capNext[t][l] = Nil\n")],
     "a revoke of an entry with a node after it in its list is refused"),
    ("MCKernelImpl_WalksHoldTheLock", "MCKernelImpl", "WalksHoldTheLock", "PROPERTIES", "KernelImpl", [
        ("Wait(t) ==\n    /\\ Idle\n", "Wait(t) ==\n")],
     "a thread starts waiting in the middle of a revoke or unmap walk (the call does not take the kernel lock)"),
    ("MCKernelImpl_EnabledCallsAreKernelCalls", "MCKernelImpl", "EnabledCallsAreKernelCalls", "INVARIANTS", "KernelImpl", [
        ("    /\\ InboxEmpty(t)\n    /\\ waiting' = [waiting EXCEPT ![t] = TRUE]\n",
         "    /\\ InboxEmpty(t)\n    /\\ waiting' = waiting\n")],
     "a wait that does not block: a stuttering step, which refinement allows and no action property sees"),
    ("MCKernelCheckpoint_MapSnapshotPost", "MCKernelCheckpoint", "MapSnapshotPost", "PROPERTIES", "Kernel", [
        ("MapSnapshotTables(c, x, v, p) == [pt EXCEPT ![Space(c)][p] = pt[x][v]]",
         "LastFreePage(c) == CHOOSE u \\in FreePages(c) : \\A w \\in FreePages(c) : u >= w\n"
         "MapSnapshotTables(c, x, v, p) == [pt EXCEPT ![Space(c)][LastFreePage(c)] = pt[x][v]]"),
        ("[mdb EXCEPT ![Space(c)][p] = [frame |-> pt[x][v], anc |-> {<<x, v>>}]]",
         "[mdb EXCEPT ![Space(c)][LastFreePage(c)] = [frame |-> pt[x][v], anc |-> {<<x, v>>}]]")],
     "a snapshot's frame lands in the checkpointer's highest free page, not the free page the call chose"),
    ("MCKernelCheckpoint_UnmapSnapshotPost", "MCKernelCheckpoint", "UnmapSnapshotPost", "PROPERTIES", "Kernel", [
        ("SnapshotLeaf(c, v) == \\A x \\in Procs, k \\in VPages : <<Space(c), v>> \\notin mdb[x][k].anc",
         "SnapshotLeaf(c, v) == TRUE")],
     "the checkpointer unmaps a snapshot mapping it has mapped on, leaving the mapping derived from it orphaned"),
    ("MCKernelCheckpoint_MdbForest", "MCKernelCheckpoint", "MdbForest", "INVARIANTS", "Kernel", [
        ("SnapshotRoot(x, v) == pt[x][v] # NoFrame /\\ mdb[x][v].anc = {}",
         "SnapshotRoot(x, v) == pt[x][v] # NoFrame")],
     "the kernel maps a derived mapping into the checkpointer as if it were its frame's root"),
    ("MCKernelImplCheckpoint_Refinement", "MCKernelImplCheckpoint", "Refinement", "PROPERTIES", "KernelImpl", [
        ("    IF n = Nil THEN TRUE ELSE mdbDepth[n[1]][n[2]] <= mdbDepth[proc[c]][v]",
         "    TRUE")],
     "the checkpointer's unmap unlinks a mapping with a mapping derived from it, which moves up to the root"),
    ("MCKernelImplCheckpoint_EnabledCallsAreKernelCalls", "MCKernelImplCheckpoint", "EnabledCallsAreKernelCalls",
     "INVARIANTS", "KernelImpl", [
        ("SnapshotRoot(x, v) == pt[x][v] # NoFrame /\\ mdbPrev[x][v] = Nil",
         "SnapshotRoot(x, v) == pt[x][v] # NoFrame")],
     "the kernel maps a derived mapping into the checkpointer (at depth 1, a sibling: another root's snapshot)"),
    ("MCKernelImplCheckpoint_MapSnapshotAccepted", "MCKernelImplCheckpoint", "MapSnapshotAccepted", "INVARIANTS",
     "KernelImpl", [
        ("SnapshotRoot(x, v) == pt[x][v] # NoFrame /\\ mdbPrev[x][v] = Nil",
         "SnapshotRoot(x, v) == pt[x][v] # NoFrame /\\ mdbPrev[x][v] = Nil /\\ mdbNext[x][v] = Nil")],
     "a root with a mapping derived from it is refused to the checkpointer"),
    ("MCKernelImplCheckpoint_UnmapSnapshotAccepted", "MCKernelImplCheckpoint", "UnmapSnapshotAccepted", "INVARIANTS",
     "KernelImpl", [
        ("    IF n = Nil THEN TRUE ELSE mdbDepth[n[1]][n[2]] <= mdbDepth[proc[c]][v]",
         "    n = Nil")],
     "the checkpointer's unmap of a leaf with another mapping after it in its list is refused"),
    ("MCKernelImplLifecycleOneId_OneWalkStepAtATime", "MCKernelImplLifecycleOneId", "OneWalkStepAtATime", "INVARIANTS",
     "KernelImpl", [
        ("UnmapDone ==\n    /\\ PageWalking\n    /\\ ~DeletingSpace\n", "UnmapDone ==\n    /\\ PageWalking\n")],
     "an unmap walk's end can be taken in the middle of an address space's deletion, which then walks the page again"),
    ("MCKernelImplLifecycleThreads_CreateThreadAccepted", "MCKernelImplLifecycleThreads", "CreateThreadAccepted", "INVARIANTS", "KernelImpl", [
        ("CreateThread(t, u, s) ==\n    /\\ Idle\n", "CreateThread(t, u, s) ==\n    /\\ Idle\n    /\\ thrNext[t] = NoObj\n")],
     "a thread with a successor in its process's list cannot create a thread"),
    ("MCKernelImplLifecycleThreads_CreateProcessAccepted", "MCKernelImplLifecycleThreads", "CreateProcessAccepted", "INVARIANTS", "KernelImpl", [
        ("CreateProcess(t, u, q, s) ==\n    /\\ Idle\n", "CreateProcess(t, u, q, s) ==\n    /\\ Idle\n    /\\ thrNext[t] = NoObj\n")],
     "a thread with a successor in its process's list cannot create a process"),
    ("MCKernelImplLifecycleThreads_DeleteThreadAccepted", "MCKernelImplLifecycleThreads", "DeleteThreadAccepted", "INVARIANTS", "KernelImpl", [
        ("DeleteThread(t, d) ==\n    /\\ Idle\n", "DeleteThread(t, d) ==\n    /\\ Idle\n    /\\ HoldsCap(t, d) => ~waiting[Target(t, d)]\n")],
     "a thread blocked in Wait cannot be deleted"),
    ("MCKernelImplLifecycleThreads_DeleteProcessAccepted", "MCKernelImplLifecycleThreads", "DeleteProcessAccepted", "INVARIANTS", "KernelImpl", [
        ("DeleteProcess(t, d) ==\n    /\\ Idle\n", "DeleteProcess(t, d) ==\n    /\\ Idle\n    /\\ HoldsCap(t, d) => ~waiting[Target(t, d)]\n")],
     "a process whose thread is blocked in Wait cannot be deleted"),
    ("MCKernelImplLifecycle_ProcGenSpentExact", "MCKernelImplLifecycle", "ProcGenSpentExact", "INVARIANTS",
     "KernelImpl", [
        ("IF gen[u] = MaxGen THEN [procGenSpent EXCEPT ![proc[t]] = TRUE] ELSE procGenSpent",
         "procGenSpent")],
     "a thread created at its last generation does not mark its process, so deleting the process would need"
     " a generation the thread does not have"),
    ("MCKernelImplLifecycle_FreeProcsExact", "MCKernelImplLifecycle", "FreeProcsExact", "INVARIANTS", "KernelImpl", [
        ("    /\\ freeProcs' = freeProcs \\ {q}\n", "    /\\ freeProcs' = freeProcs\n")],
     "a process object used by CreateProcess stays in the free bitmap"),
    ("MCKernelImplLifecycle_Refinement", "MCKernelImplLifecycle", "Refinement", "PROPERTIES", "KernelImpl", [
        ("    /\\ proc' = [proc EXCEPT ![u] = proc[t]]\n", "    /\\ proc' = [proc EXCEPT ![u] = proc[u]]\n")],
     "CreateThread makes the capability but leaves the thread object free"),
    # KernelImpl's deletion walk (DeleteThread, DeleteProcess and their steps).
    ("MCKernelImplLifecycle_RefinementOfDelete", "MCKernelImplLifecycle", "Refinement", "PROPERTIES", "KernelImpl", [
        ("    /\\ gen' = [gen EXCEPT ![delThread] = @ + 1]\n", "    /\\ gen' = gen\n")],
     "a deleted thread object keeps its generation, so capabilities to it name its next incarnation"),
    ("MCKernelImplLifecycle_ThreadListsWellFormed", "MCKernelImplLifecycle", "ThreadListsWellFormed", "INVARIANTS",
     "KernelImpl", [
        ("    /\\ thrPrev' = IF thrNext[t] = NoObj THEN [thrPrev EXCEPT ![u] = t]\n"
         "                  ELSE [thrPrev EXCEPT ![u] = t, ![thrNext[t]] = u]\n",
         "    /\\ thrPrev' = thrPrev\n")],
     "a created thread is linked after its creator without its back link"),
    ("MCKernelImplLifecycle_DeleteWalkWellFormed", "MCKernelImplLifecycle", "DeleteWalkWellFormed", "INVARIANTS",
     "KernelImpl", [
        ("    /\\ delThread' = IF delSpace = NoObj THEN NoObj\n",
         "    /\\ delThread' = IF delSpace = NoObj THEN delThread\n")],
     "the walk goes on naming a thread it has already parked"),
    ("MCKernelImplLifecycle_FreeSlotsExact", "MCKernelImplLifecycle", "FreeSlotsExact", "INVARIANTS", "KernelImpl", [
        ("    /\\ freeSlots' = [freeSlots EXCEPT ![capWalk[1]] = @ \\cup {capWalk[2]}]\n",
         "    /\\ freeSlots' = freeSlots\n")],
     "a deleted thread's slot is emptied but not returned to its free bitmap"),
    ("MCKernelImplLifecycle_CapListsWellFormed", "MCKernelImplLifecycle", "CapListsWellFormed", "INVARIANTS",
     "KernelImpl", [
        ("    /\\ capDepth' = [capDepth EXCEPT ![capWalk[1]][capWalk[2]] = 0]\n", "    /\\ capDepth' = capDepth\n")],
     "a deleted thread's slot is unlinked but keeps its depth"),
    ("MCKernelImplLifecycle_MdbListsWellFormed", "MCKernelImplLifecycle", "MdbListsWellFormed", "INVARIANTS",
     "KernelImpl", [
        ("    /\\ mdbDepth' = [mdbDepth EXCEPT ![pageWalk[1]][pageWalk[2]] = 0]\n", "    /\\ mdbDepth' = mdbDepth\n")],
     "a deleted address space's page is unlinked but keeps its depth"),
    ("MCKernelImplLifecycle_FreeFramesExact", "MCKernelImplLifecycle", "FreeFramesExact", "INVARIANTS", "KernelImpl", [
        ("    /\\ free' = IF mdbPrev[pageWalk[1]][pageWalk[2]] = Nil THEN free \\cup {pt[pageWalk[1]][pageWalk[2]]} ELSE free\n",
         "    /\\ free' = free\n")],
     "a deleted address space's frames never return to the allocator"),
    ("MCKernelImplLifecycle_RingsWellFormed", "MCKernelImplLifecycle", "RingsWellFormed", "INVARIANTS", "KernelImpl", [
        ("    /\\ msgBuf' = [msgBuf EXCEPT ![delThread] = [i \\in 1..MaxMsgs |-> EmptyMsg]]\n", "    /\\ msgBuf' = msgBuf\n")],
     "a deleted thread's ring is emptied by its count only, its messages left in their slots"),
    # The authority invariants across creation and deletion (MCKernelAuthority).
    ("MCKernelAuthority_RightsNeverAmplifiedLive", "MCKernelAuthority", "RightsNeverAmplifiedLive", "INVARIANTS",
     "Kernel", [
        ("CreateTable(t, u, s) == [cspace EXCEPT ![t][s] = CreatedCap(u)]",
         "CreateTable(t, u, s) == [cspace EXCEPT ![t][s] = CreatedCap(t)]")],
     "a creation hands the creator every right to itself instead of to the thread it created"),
    ("MCKernelAuthority_AuthorityConnectedLive", "MCKernelAuthority", "AuthorityConnectedLive", "INVARIANTS",
     "CSpace", [
        ("    Confined     \\* the confined group: at boot none of its members holds a capability leading out of it\n",
         "    Confined,    \\* the confined group: at boot none of its members holds a capability leading out of it\n"
         "    GlobalThread \\* GlobalThread[d]: the thread local id d names, the same for every caller\n"),
        ("Target(t, d) == cspace[t][d].obj", "Target(t, d) == GlobalThread[d]")],
     "a local id names a thread through one global table, so a creator's items reach a thread it is not connected to"),
    ("MCKernelAuthority_ConfinementLive", "MCKernelAuthority", "ConfinementLive", "INVARIANTS", "Kernel", [
        ("    /\\ gen' = BumpGen(DeletedThreads(t, d))\n", "    /\\ gen' = gen\n")],
     "deleting a thread keeps its generation, so the confined creator's old capability names the object "
     "after an outside thread created it again"),
]

# name, source file, assertion (the only command kept), [(old, new)], why
# Extra model text for mutants that add a constant: (definition in the MC module, cfg binding).
MODEL_EXTRAS = {
    "MCCSpace_AuthorityConnected": ("MCGlobalThread == <<e, b>>\n", "    GlobalThread <- MCGlobalThread\n"),
    "MCKernelAuthority_AuthorityConnectedLive": ("MCGlobalThread == <<b>>\n", "    GlobalThread <- MCGlobalThread\n"),
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
    ("Confinement_LiveTablesOnly", "Confinement", "LiveTablesOnly", [
        ("  Live' = Live + u\n", "  Live' = Live\n")],
     "a created thread is left free (its object is not taken off the free list) while its creator names it"),
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
    ("RecoveryOrder_KindDepsArePersistences", "RecoveryOrder", "KindDepsArePersistences", [
        ("  + Message -> Thread + Message -> CapEntry + Message -> Frame\n",
         "  + Message -> Thread + Message -> CapEntry\n")],
     "the Alloy relation forgets that a message depends on the frame its item brought"),
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
        # A relation imported from a TLA+ spec is imported from the specs, two folders up from here.
        text = text.replace("-- ladle:tla ../tla/", "-- ladle:tla ../../main/tla/")
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
