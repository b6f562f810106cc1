-------------------------- MODULE PersistentKernel --------------------------
(***************************************************************************)
(* The kernel and its persistence in one model.  The operations are the    *)
(* kernel's own actions (Kernel.tla, unchanged); this module adds the      *)
(* operation log, on-the-fly checkpoints of the kernel's variables, crash *)
(* and recovery around them.                                                *)
(*                                                                         *)
(*   Record(op)  a running kernel appends the operation record (action     *)
(*               name and arguments) to the log; its effect is not yet     *)
(*               visible (pending).                                         *)
(*   Effect      the kernel action of the pending record runs.             *)
(*   Flush(n)    the first n records become durable; a pending record      *)
(*               (effect not yet applied) is never flushed.                *)
(*   Begin       a checkpoint snapshots the kernel's variables and the LSN  *)
(*               of the last applied record; operations go on while it is  *)
(*               open.                                                      *)
(*   Seal        the open checkpoint becomes the recovery point, once the  *)
(*               log is durable up to its LSN.                              *)
(*   Crash       the volatile log tail, the pending record and the open    *)
(*               checkpoint are lost; kernel memory is garbage.            *)
(*   Load        recovery starts from an empty kernel.                     *)
(*   RestoreObject(o)  one kernel object of the sealed checkpoint is       *)
(*               restored, once every object it depends on is: the order  *)
(*               is computed from the checkpointed kernel state itself     *)
(*               (ObjectsOf, DepsOf below), never from a fixed list.       *)
(*   StartReplay every object is restored.                                  *)
(*   Replay      one durable record after the checkpoint's LSN is applied  *)
(*               through the same kernel action (one step per record).     *)
(*   Resume      the kernel runs again.                                     *)
(*                                                                         *)
(* Kernel operations are not idempotent (a Send replayed twice delivers    *)
(* twice), so replay starts strictly after the checkpoint's LSN; the       *)
(* ghost hStates (hStates[n + 1] = the kernel's variables after record n)  *)
(* states what every replay must reach.                                    *)
(*                                                                         *)
(* RecoverFrom chooses the recovery strategy: "log" restores the sealed    *)
(* checkpoint and replays the durable log after it (an operation is        *)
(* acknowledged once its record is flushed); "checkpoint" restores the     *)
(* sealed checkpoint alone (an operation is acknowledged once a sealed     *)
(* checkpoint covers it), so every record after the checkpoint is lost,    *)
(* flushed or not.                                                          *)
(***************************************************************************)
EXTENDS Kernel

CONSTANTS
    MaxOps,      \* the log holds at most this many records (bounds the model)
    MaxCrashes,  \* at most this many crashes (so that recovery can be required to finish)
    RecoverFrom  \* "log": checkpoint then the durable log; "checkpoint": the checkpoint alone

ASSUME MaxOps \in Nat /\ MaxCrashes \in Nat /\ RecoverFrom \in {"log", "checkpoint"}

VARIABLES
    phase,     \* "run"; "down": crashed, memory lost; "restore": objects being restored; "replay": replaying the log
    log,       \* log[i]: the i-th operation record since boot (a prefix of it is durable)
    durable,   \* the first durable records: log[1..durable] survive a crash
    pending,   \* the last record of log is recorded but its effect has not run yet
    ck,        \* the sealed checkpoint: [lsn, state]; recovery starts from it
    ckOpen,    \* a checkpoint has begun and is not sealed yet
    ckNew,     \* the open checkpoint: [lsn, state]
    rp,        \* during replay: the last record applied
    restored,  \* during restore: the checkpoint's objects restored so far
    crashes,   \* crashes so far
    hStates,   \* ghost: hStates[n + 1] = the kernel's variables after the n-th record's effect
    hAcked     \* ghost: every record up to hAcked was acknowledged to its caller as durable

pkVars == <<phase, log, durable, pending, ck, ckOpen, ckNew, rp, restored, crashes, hStates, hAcked>>
allVars == <<vars, pkVars>>

\* Persistence.tla, for its object kinds and their dependency relation KindDeps (the one relation the
\* kernel, Persistence.tla and RecoveryOrder.als share).  Its own objects and variables are not used here.
P == INSTANCE Persistence WITH
        Objects <- {}, BootObjects <- {}, NoObject <- "none", Kind <- [o \in {} |-> "frame"], Deps <- [o \in {} |-> {}],
        LogSize <- 1, MaxLsn <- 0,
        sysPhase <- "running", mem <- <<>>, head <- 0, buf <- <<>>, disk <- <<>>, acked <- 0,
        ckPhase <- "idle", snap <- <<>>, snapLsn <- 0, written <- {}, spare <- <<>>,
        sealed <- [lsn |-> 0, vals |-> <<>>], replayPos <- 0, hDurable <- <<>>

NoArg == 0
\* No message words: an empty tuple, so that every record's words compare with every other's (TLC compares
\* records field by field, and a tuple never equals a number).
NoWords == <<>>

\* An operation record: the kernel action's name and its arguments (unused ones NoArg); f is the frame
\* a copy took, p the page a page item landed in and s the slot an entry or a created thread's capability
\* landed in (the kernel's choices, recorded so that the replay takes the same ones).
Op(n, t, d, w, v, l, m) ==
    [name |-> n, t |-> t, d |-> d, w |-> w, v |-> v, l |-> l, m |-> m, u |-> NoArg, q |-> NoArg, f |-> NoArg,
     s |-> NoArg, p |-> NoArg]
PageOp(n, t, d, w, v, p) ==
    [name |-> n, t |-> t, d |-> d, w |-> w, v |-> v, l |-> NoArg, m |-> {}, u |-> NoArg, q |-> NoArg, f |-> NoArg,
     s |-> NoArg, p |-> p]
CopyOp(t, d, w, v, f, p) ==
    [name |-> "CopyPage", t |-> t, d |-> d, w |-> w, v |-> v, l |-> NoArg, m |-> {}, u |-> NoArg, q |-> NoArg,
     f |-> f, s |-> NoArg, p |-> p]
CapOp(n, t, d, w, l, m, s) ==
    [name |-> n, t |-> t, d |-> d, w |-> w, v |-> NoArg, l |-> l, m |-> m, u |-> NoArg, q |-> NoArg, f |-> NoArg,
     s |-> s, p |-> NoArg]
\* A lifecycle record: the created thread object u, process object q and slot s, or the deleted thread's local id d.
LifeOp(n, t, d, u, q, s) ==
    [name |-> n, t |-> t, d |-> d, w |-> NoWords, v |-> NoArg, l |-> NoArg, m |-> {}, u |-> u, q |-> q, f |-> NoArg,
     s |-> s, p |-> NoArg]

Ops ==
    {Op("Send", t, d, w, NoArg, NoArg, {}) : t \in Threads, d \in LocalIds, w \in Payloads}
    \cup {PageOp(n, t, d, w, v, p) :
            n \in {"MapPage", "GrantPage"}, t \in Threads, d \in LocalIds, w \in Payloads, v, p \in VPages}
    \cup {CopyOp(t, d, w, v, f, p) : t \in Threads, d \in LocalIds, w \in Payloads, v, p \in VPages, f \in Frames}
    \cup {CapOp(n, t, d, w, l, m, s) :
            n \in {"MapCap", "CopyCap"}, t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds,
            m \in SUBSET Rights, s \in LocalIds}
    \cup {CapOp("GrantCap", t, d, w, l, {}, s) : t \in Threads, d \in LocalIds, w \in Payloads, l, s \in LocalIds}
    \cup {Op(n, t, NoArg, NoWords, NoArg, NoArg, {}) : n \in {"Receive", "Wait"}, t \in Threads}
    \cup {Op("Unmap", t, NoArg, NoWords, v, NoArg, {}) : t \in Threads, v \in VPages}
    \cup {Op("Revoke", t, NoArg, NoWords, NoArg, l, {}) : t \in Threads, l \in LocalIds}
    \cup {LifeOp("CreateThread", t, NoArg, u, NoArg, s) : t \in Threads, u \in Threads, s \in LocalIds}
    \cup {LifeOp("CreateProcess", t, NoArg, u, q, s) : t \in Threads, u \in Threads, q \in Procs, s \in LocalIds}
    \cup {LifeOp(n, t, d, NoArg, NoArg, NoArg) : n \in {"DeleteThread", "DeleteProcess"}, t \in Threads, d \in LocalIds}

\* The kernel action an operation record names, with its arguments.
Apply(op) ==
    \/ op.name = "Send" /\ Send(op.t, op.d, op.w)
    \/ op.name = "MapPage" /\ MapPage(op.t, op.d, op.w, op.v, op.p)
    \/ op.name = "GrantPage" /\ GrantPage(op.t, op.d, op.w, op.v, op.p)
    \/ op.name = "CopyPage" /\ CopyPage(op.t, op.d, op.w, op.v, op.f, op.p)
    \/ op.name = "MapCap" /\ MapCap(op.t, op.d, op.w, op.l, op.m, op.s)
    \/ op.name = "CopyCap" /\ CopyCap(op.t, op.d, op.w, op.l, op.m, op.s)
    \/ op.name = "GrantCap" /\ GrantCap(op.t, op.d, op.w, op.l, op.s)
    \/ op.name = "Receive" /\ Receive(op.t)
    \/ op.name = "Wait" /\ Wait(op.t)
    \/ op.name = "Unmap" /\ Unmap(op.t, op.v)
    \/ op.name = "Revoke" /\ Revoke(op.t, op.l)
    \/ op.name = "CreateThread" /\ CreateThread(op.t, op.u, op.s)
    \/ op.name = "CreateProcess" /\ CreateProcess(op.t, op.u, op.q, op.s)
    \/ op.name = "DeleteThread" /\ DeleteThread(op.t, op.d)
    \/ op.name = "DeleteProcess" /\ DeleteProcess(op.t, op.d)

(* --------------------- the kernel's objects ---------------------------- *)
(* A kernel state (the tuple vars, as a checkpoint holds it) seen as the    *)
(* object graph recovery restores.  An object is <<kind, x, y>>: its kind   *)
(* is one of Persistence.tla's Kinds, x and y name it.  Every thread has    *)
(* own capability table (its local ids); an address space (page table    *)
(* pt[q]) belongs to a process q, and a live thread depends on its         *)
(* process's.  A free thread object is restored too: its generation must  *)
(* survive, or a stale capability would name the object's next thread.    *)

KS(s) == [cspace |-> s[1], capAnc |-> s[2], pt |-> s[3], mdb |-> s[4], frameData |-> s[5],
          free |-> s[6], inbox |-> s[7], waiting |-> s[8], hInFlight |-> s[9], hTag |-> s[10],
          proc |-> s[11], gen |-> s[12], hCreated |-> s[13], hConfined |-> s[14]]

FrameObj(f) == <<"frame", f, 0>>
PageTableObj(q) == <<"pageTable", q, 0>>
AddressSpaceObj(q) == <<"addressSpace", q, 0>>
CapTableObj(t) == <<"capTable", t, 0>>
ThreadObj(t) == <<"thread", t, 0>>
CapEntryObj(t, l) == <<"capEntry", t, l>>
MessageObj(t, i) == <<"message", t, i>>
KindOf(o) == o[1]

CapItemKinds == {"mapCap", "grantCap", "copyCap"}
PageItemKinds == {"mapPage", "grantPage", "copyPage"}

\* The objects a kernel state holds: every frame handed out, every process's address space and page
\* table, every thread object with its capability table, every non-empty capability entry, every queued
\* message.
ObjectsOf(s) ==
    LET k == KS(s) IN
    {FrameObj(f) : f \in Frames \ k.free}
    \cup {PageTableObj(q) : q \in Procs} \cup {AddressSpaceObj(q) : q \in Procs}
    \cup {CapTableObj(t) : t \in Threads} \cup {ThreadObj(t) : t \in Threads}
    \cup {CapEntryObj(n[1], n[2]) : n \in {n \in Threads \X LocalIds : k.cspace[n[1]][n[2]].obj # NoObj}}
    \cup {MessageObj(n[1], n[2]) :
            n \in {n \in Threads \X (1..MaxMsgs) : n[2] <= Len(k.inbox[n[1]])}}

\* What a message's item still is in its receiver: the entry or the frame at the slot it landed in
\* (nothing once that entry was revoked or that page unmapped).
ItemDeps(k, t, it) ==
    IF it.kind \in CapItemKinds /\ k.cspace[t][it.slot].obj # NoObj THEN {CapEntryObj(t, it.slot)}
    ELSE IF it.kind \in PageItemKinds /\ k.proc[t] # NoProc /\ k.pt[k.proc[t]][it.slot] # NoFrame
         THEN {FrameObj(k.pt[k.proc[t]][it.slot])}
    ELSE {}

\* The objects o refers to in state s, read off the kernel's own variables: a page table after the frames
\* its mappings name, an address space after its page table, a live thread after its process's address
\* space and its capability table (a free thread object after its table only), an entry after its table and the thread it names, a message after its receiver, its
\* sender and its item.  (Derivation links, capAnc and mdb's anc, are data of the entry or page table:
\* they name other entries and pages of the same object or frame, and are not restore dependencies.)
DepsOf(s, o) ==
    LET k == KS(s) IN
    CASE KindOf(o) = "frame" -> {}
      [] KindOf(o) = "pageTable" -> {FrameObj(k.pt[o[2]][v]) : v \in {v \in VPages : k.pt[o[2]][v] # NoFrame}}
      [] KindOf(o) = "addressSpace" -> {PageTableObj(o[2])}
      [] KindOf(o) = "capTable" -> {}
      [] KindOf(o) = "thread" ->
            {CapTableObj(o[2])} \cup (IF k.proc[o[2]] # NoProc THEN {AddressSpaceObj(k.proc[o[2]])} ELSE {})
      [] KindOf(o) = "capEntry" -> {CapTableObj(o[2]), ThreadObj(k.cspace[o[2]][o[3]].obj)}
                                      \cup {CapEntryObj(n[1], n[2]) : n \in k.capAnc[o[2]][o[3]]}
      [] KindOf(o) = "message" ->
            {ThreadObj(o[2]), ThreadObj(k.inbox[o[2]][o[3]].from)} \cup ItemDeps(k, o[2], k.inbox[o[2]][o[3]].item)

\* The i-th smallest element of a finite set of numbers.
Nth(S, i) == CHOOSE x \in S : Cardinality({y \in S : y <= x}) = i

\* The kernel state holding exactly the objects R of state s (every other part empty): what the kernel's
\* memory holds while recovery restores s object by object.  A thread object not yet restored is parked
\* (waiting), like a free one, so no kernel action is enabled for it.  The ghosts come whole from s.
RestoredState(s, R) ==
    LET k == KS(s)
        kept(t) == {i \in 1..Len(k.inbox[t]) : MessageObj(t, i) \in R}
    IN  <<[t \in Threads |-> [l \in LocalIds |-> IF CapEntryObj(t, l) \in R THEN k.cspace[t][l] ELSE EmptyCap]],
          [t \in Threads |-> [l \in LocalIds |-> IF CapEntryObj(t, l) \in R THEN k.capAnc[t][l] ELSE {}]],
          [q \in Procs |-> IF PageTableObj(q) \in R THEN k.pt[q] ELSE [v \in VPages |-> NoFrame]],
          [q \in Procs |-> IF PageTableObj(q) \in R THEN k.mdb[q] ELSE [v \in VPages |-> NoMapping]],
          [f \in Frames |-> IF FrameObj(f) \in R THEN k.frameData[f] ELSE NoData],
          {f \in Frames : FrameObj(f) \notin R},
          [t \in Threads |-> [i \in 1..Cardinality(kept(t)) |-> k.inbox[t][Nth(kept(t), i)]]],
          [t \in Threads |-> IF ThreadObj(t) \in R THEN k.waiting[t] ELSE TRUE],
          k.hInFlight,
          k.hTag,
          [t \in Threads |-> IF ThreadObj(t) \in R THEN k.proc[t] ELSE NoProc],
          [t \in Threads |-> IF ThreadObj(t) \in R THEN k.gen[t] ELSE 0],
          k.hCreated,
          k.hConfined>>

\* The kernel's variables take the values of a state tuple s.
SetVars(s) ==
    /\ cspace' = s[1] /\ capAnc' = s[2] /\ pt' = s[3] /\ mdb' = s[4] /\ frameData' = s[5]
    /\ free' = s[6] /\ inbox' = s[7] /\ waiting' = s[8] /\ hInFlight' = s[9] /\ hTag' = s[10]
    /\ proc' = s[11] /\ gen' = s[12] /\ hCreated' = s[13] /\ hConfined' = s[14]

\* The relation KindDeps, closed transitively; Persistence.tla's kinds in no cycle of it.
RECURSIVE Closure(_)
Closure(R) ==
    LET R2 == R \cup {<<e[1][1], e[2][2]>> : e \in {e \in R \X R : e[1][2] = e[2][1]}} IN
    IF R2 = R THEN R ELSE Closure(R2)
KindReach == Closure(P!KindDeps)
ASSUME \A k \in P!Kinds : <<k, k>> \notin KindReach

(* ---------------------------- helpers ---------------------------------- *)

\* The last record whose effect has run.
Applied == Len(log) - (IF pending THEN 1 ELSE 0)

\* The sealed checkpoint's objects, and those recovery may restore next.
CkObjects == ObjectsOf(ck.state)
DepsRestored(o) == DepsOf(ck.state, o) \subseteq restored
\* Recovery restores one order: among the objects whose dependencies are restored, the first in TLC's
\* order of values (the code may take any).  Persistence.tla checks that every such order works.
NextToRestore == CHOOSE o \in CkObjects \ restored : DepsRestored(o)

PKInit ==
    /\ Init
    /\ phase = "run"
    /\ log = <<>>
    /\ durable = 0
    /\ pending = FALSE
    /\ ck = [lsn |-> 0, state |-> vars]
    /\ ckOpen = FALSE
    /\ ckNew = [lsn |-> 0, state |-> vars]
    /\ rp = 0
    /\ restored = {}
    /\ crashes = 0
    /\ hStates = <<vars>>
    /\ hAcked = 0

(* ---------------------------- actions ---------------------------------- *)

Record(op) ==
    /\ phase = "run"
    /\ ~pending
    /\ Len(log) < MaxOps
    /\ ENABLED Apply(op)
    /\ log' = Append(log, op)
    /\ pending' = TRUE
    /\ UNCHANGED <<vars, phase, durable, ck, ckOpen, ckNew, rp, restored, crashes, hStates, hAcked>>

Effect ==
    /\ phase = "run"
    /\ pending
    /\ Apply(log[Len(log)])
    /\ pending' = FALSE
    /\ hStates' = Append(hStates, vars')
    /\ UNCHANGED <<phase, log, durable, ck, ckOpen, ckNew, rp, restored, crashes, hAcked>>

\* With log recovery, a flushed record is acknowledged to its caller.
Flush(n) ==
    /\ phase = "run"
    /\ durable < n /\ n <= Applied
    /\ durable' = n
    /\ hAcked' = IF RecoverFrom = "log" THEN n ELSE hAcked
    /\ UNCHANGED <<vars, phase, log, pending, ck, ckOpen, ckNew, rp, restored, crashes, hStates>>

Begin ==
    /\ phase = "run"
    /\ ~ckOpen
    /\ ckOpen' = TRUE
    /\ ckNew' = [lsn |-> Applied, state |-> vars]
    /\ UNCHANGED <<vars, phase, log, durable, pending, ck, rp, restored, crashes, hStates, hAcked>>

\* With checkpoint-only recovery, what a sealed checkpoint covers is acknowledged.
Seal ==
    /\ phase = "run"
    /\ ckOpen
    /\ ckNew.lsn <= durable
    /\ ck' = ckNew
    /\ ckOpen' = FALSE
    /\ hAcked' = IF RecoverFrom = "checkpoint" THEN ckNew.lsn ELSE hAcked
    /\ UNCHANGED <<vars, phase, log, durable, pending, ckNew, rp, restored, crashes, hStates>>

Crash ==
    /\ crashes < MaxCrashes
    /\ phase' = "down"
    /\ log' = SubSeq(log, 1, durable)
    /\ pending' = FALSE
    /\ ckOpen' = FALSE
    /\ ckNew' = ck
    /\ restored' = {}
    /\ crashes' = crashes + 1
    /\ hStates' = SubSeq(hStates, 1, durable + 1)
    /\ UNCHANGED <<vars, durable, ck, rp, hAcked>>

\* Recovery starts from an empty kernel: nothing of the crashed memory is kept.
Load ==
    /\ phase = "down"
    /\ phase' = "restore"
    /\ SetVars(RestoredState(ck.state, {}))
    /\ restored' = {}
    /\ UNCHANGED <<log, durable, pending, ck, ckOpen, ckNew, rp, crashes, hStates, hAcked>>

RestoreObject(o) ==
    /\ phase = "restore"
    /\ o \in CkObjects \ restored
    /\ DepsRestored(o)
    /\ restored' = restored \cup {o}
    /\ SetVars(RestoredState(ck.state, restored \cup {o}))
    /\ UNCHANGED <<phase, log, durable, pending, ck, ckOpen, ckNew, rp, crashes, hStates, hAcked>>

StartReplay ==
    /\ phase = "restore"
    /\ restored = CkObjects
    /\ phase' = "replay"
    /\ rp' = ck.lsn
    /\ restored' = {}
    /\ UNCHANGED <<vars, log, durable, pending, ck, ckOpen, ckNew, crashes, hStates, hAcked>>

Replay ==
    /\ phase = "replay"
    /\ RecoverFrom = "log"
    /\ rp < Len(log)
    /\ Apply(log[rp + 1])
    /\ rp' = rp + 1
    /\ UNCHANGED <<phase, log, durable, pending, ck, ckOpen, ckNew, restored, crashes, hStates, hAcked>>

\* Log recovery resumes at the end of the durable log; checkpoint-only recovery at the checkpoint, and
\* the records after it are gone.
Resume ==
    /\ phase = "replay"
    /\ RecoverFrom = "log" => rp = Len(log)
    /\ phase' = "run"
    /\ rp' = 0
    /\ log' = SubSeq(log, 1, rp)
    /\ durable' = rp
    /\ hStates' = SubSeq(hStates, 1, rp + 1)
    /\ UNCHANGED <<vars, pending, ck, ckOpen, ckNew, restored, crashes, hAcked>>

RecoveryStep ==
    \/ Load
    \/ phase = "restore" /\ restored # CkObjects /\ RestoreObject(NextToRestore)
    \/ StartReplay
    \/ Replay
    \/ Resume

PKNext ==
    \/ \E op \in Ops : Record(op)
    \/ Effect
    \/ \E n \in 1..MaxOps : Flush(n)
    \/ Begin
    \/ Seal
    \/ Crash
    \/ RecoveryStep

PKSpec == PKInit /\ [][PKNext]_allVars

\* Recovery runs to its end when nothing else stops it; the log is flushed and an open checkpoint sealed
\* when nothing else stops them.
PKFairSpec == PKSpec /\ WF_allVars(RecoveryStep) /\ WF_allVars(\E n \in 1..MaxOps : Flush(n)) /\ WF_allVars(Seal)

(* ---------------------------- invariants ------------------------------- *)

\* A running kernel holds the state its log defines: after recovery, the state after the last record
\* recovered; during replay, the state after the last record replayed.
RecoveredKernelMatches ==
    /\ phase = "run" => vars = hStates[Applied + 1]
    /\ phase = "replay" => vars = hStates[rp + 1]

\* The kernel's own invariants hold whenever its memory is live, across crash and recovery.
KernelInvariantsAcrossRecovery == phase \in {"run", "replay"} => KernelInvariants

\* The sealed checkpoint is the kernel state after its LSN, and every record it covers is durable.
CheckpointMatchesHistory == ck.lsn <= durable /\ ck.state = hStates[ck.lsn + 1]

\* No object is restored before an object it depends on.
RestoreRespectsDeps == phase = "restore" => \A o \in restored : DepsOf(ck.state, o) \subseteq restored

\* In a state s, every object's dependencies are objects of s (no dangling reference) of the kinds
\* KindDeps allows.  Since KindDeps has no cycle (the ASSUME above), neither has the object graph.
DepsWithinKindDeps(s) ==
    \A o \in ObjectsOf(s) : \A p \in DepsOf(s, o) :
        p \in ObjectsOf(s) /\ <<KindOf(o), KindOf(p)>> \in P!KindDeps

\* The dependencies computed from any reachable kernel state lie within KindDeps (a checkpoint holds
\* a state the running kernel was in, so this covers every checkpoint too).
KernelDepsWithinKindDeps == phase = "run" => DepsWithinKindDeps(vars)

\* Nothing acknowledged is lost: a running kernel has applied every acknowledged record.
NothingAckedLost == phase = "run" => hAcked <= Applied

(* ---------------------------- properties ------------------------------- *)

\* Recovery keeps every durable record: it resumes at the end of the durable log.  Log recovery does;
\* checkpoint-only recovery does not (MCPersistentKernelCheckpointOnlyLoses): what it loses is every
\* record after the sealed checkpoint, flushed or not.
DurableRecordsKept == [][phase = "replay" /\ phase' = "run" => rp = durable]_allVars

\* Recovery finishes: a crashed kernel runs again.
RecoveryFinishes == phase # "run" ~> phase = "run"

\* A checkpoint that has begun is eventually sealed, unless a crash discards it.
CheckpointEventuallySealed == ckOpen ~> ~ckOpen
=============================================================================
