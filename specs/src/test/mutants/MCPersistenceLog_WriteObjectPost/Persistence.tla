----------------------------- MODULE Persistence -----------------------------
(***************************************************************************)
(* Checkpoint, operation log and recovery.                                 *)
(*                                                                         *)
(* Kernel objects have kinds and depend on one another (a thread on its    *)
(* address space and capability table, an entry on its table and target,  *)
(* a message on its receiver and its item...).  Every operation appends a  *)
(* record (LSN, object, new value) to a volatile log buffer before its     *)
(* effect is visible; Flush makes the oldest buffered record durable, one  *)
(* at a time, so the durable log is always a prefix.  Ack tells clients    *)
(* what is durable.  The log on disk is circular: LogSize slots, and a     *)
(* slot is reused only when the record in it is covered by the sealed      *)
(* checkpoint.                                                             *)
(*                                                                         *)
(* A checkpoint is taken on the fly: BeginCheckpoint freezes a copy-on-    *)
(* write snapshot of every object at the current LSN, operations keep      *)
(* running, WriteObject writes the snapshot one object at a time into the  *)
(* spare checkpoint area (in dependency order), and Seal switches the      *)
(* superblock to it atomically (only once the log is durable up to the    *)
(* snapshot's LSN).                                                        *)
(*                                                                         *)
(* Crash can strike in any phase, recovery included: memory, the log       *)
(* buffer and an unsealed checkpoint are lost, and a record being flushed  *)
(* may be left torn (its CRC fails).  Recovery: load the sealed checkpoint,*)
(* restore its objects one at a time in any order in which an object      *)
(* comes after everything it depends on, replay the durable log after the  *)
(* checkpoint until the first missing or torn record, resume.              *)
(*                                                                         *)
(* sysPhase and ckPhase are the two explicit state machines:               *)
(*   sysPhase: running -Crash-> crashed -LoadCheckpoint-> restoring        *)
(*             -StartReplay-> replaying -Resume-> running                  *)
(*   ckPhase:  idle -BeginCheckpoint-> writing -Seal-> idle                *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
    Objects,     \* the kernel objects that may ever exist, model values
    BootObjects, \* the objects present at boot; the others are created later (Create)
    NoObject,    \* model value: the object field of an empty log slot
    Kind,        \* Kind[o]: the kind of object o, [Objects -> Kinds]
    Deps,        \* Deps[o]: the objects o depends on, [Objects -> SUBSET Objects]
    LogSize,     \* slots in the circular log
    MaxLsn,      \* log sequence numbers run 1..MaxLsn (bounds the operations of a model)
    MaxCrashes   \* crashes the environment may inflict (bounds the fault model)

VARIABLES
    sysPhase,    \* "running", "crashed", "restoring" or "replaying"
    mem,         \* mem[o]: the live value of object o, Absent if o does not exist
    head,        \* LSN of the last record appended
    buf,         \* records appended but not yet durable, oldest first (volatile)
    durable,     \* LSN of the last durable record
    disk,        \* disk[s]: the log record in slot s
    acked,       \* every LSN up to acked was acknowledged to clients as durable (outlives crashes)
    ckPhase,     \* "idle" or "writing"
    snap,        \* the copy-on-write snapshot being written (volatile)
    snapLsn,     \* the LSN the snapshot was taken at
    written,     \* the objects of the snapshot already written to the spare area
    spare,       \* spare[o]: the spare checkpoint area on disk (Absent where nothing was written yet)
    sealed,      \* the checkpoint the superblock points to: [lsn, vals]
    restored,    \* objects restored so far by the current recovery
    replayPos,   \* LSN of the last record replayed by the current recovery
    crashes,     \* crashes so far
    hDurable     \* ghost: the object values at LSN durable, as the durable log defines them

vars == <<sysPhase, mem, head, buf, durable, disk, acked, ckPhase, snap, snapLsn,
          written, spare, sealed, restored, replayPos, crashes, hDurable>>

Kinds == {"frame", "pageTable", "addressSpace", "capTable", "capEntry", "thread", "message"}

\* Which kind may depend on which: the one relation the kernel, this spec and
\* RecoveryOrder.als share.  Every pair goes from a later kind to an earlier
\* one in Kinds' listing order above, which is why a restore order exists.
KindDeps == {<<"pageTable", "frame">>, <<"addressSpace", "pageTable">>,
             <<"thread", "addressSpace">>, <<"thread", "capTable">>,
             <<"capEntry", "capTable">>, <<"capEntry", "thread">>,
             <<"message", "thread">>, <<"message", "capEntry">>, <<"message", "frame">>}

Absent == 0
Vals == 0..2            \* Absent, or one of two versions of the object's contents
Lsns == 0..MaxLsn
Slots == 0..(LogSize - 1)
Rec == [lsn: Lsns, obj: Objects \cup {NoObject}, val: Vals, ok: BOOLEAN]
EmptyRec == [lsn |-> 0, obj |-> NoObject, val |-> Absent, ok |-> FALSE]
Slot(n) == n % LogSize

ASSUME Kind \in [Objects -> Kinds]
ASSUME Deps \in [Objects -> SUBSET Objects]
ASSUME BootObjects \subseteq Objects /\ \A o \in BootObjects : Deps[o] \subseteq BootObjects
ASSUME \A o \in Objects : \A p \in Deps[o] : <<Kind[o], Kind[p]>> \in KindDeps
ASSUME LogSize \in Nat \ {0} /\ MaxLsn \in Nat /\ MaxCrashes \in Nat

PersistTypeOK ==
    /\ sysPhase \in {"running", "crashed", "restoring", "replaying"}
    /\ mem \in [Objects -> Vals]
    /\ head \in Lsns
    /\ buf \in Seq(Rec)
    /\ Len(buf) <= MaxLsn    \* each operation appends one record with a fresh LSN
    /\ durable \in Lsns
    /\ disk \in [Slots -> Rec]
    /\ acked \in Lsns
    /\ ckPhase \in {"idle", "writing"}
    /\ snap \in [Objects -> Vals]
    /\ snapLsn \in Lsns
    /\ written \in SUBSET Objects
    /\ spare \in [Objects -> Vals]
    /\ sealed \in [lsn: Lsns, vals: [Objects -> Vals]]
    /\ restored \in SUBSET Objects
    /\ replayPos \in Lsns
    /\ crashes \in 0..MaxCrashes
    /\ hDurable \in [Objects -> Vals]

\* The system boots with the objects of BootObjects present at version 1 (the
\* others absent until created), and the boot image sealed as the checkpoint
\* at LSN 0.
BootVals == [o \in Objects |-> IF o \in BootObjects THEN 1 ELSE Absent]
NoVals == [o \in Objects |-> Absent]

PersistInit ==
    /\ sysPhase = "running"
    /\ mem = BootVals
    /\ head = 0
    /\ buf = <<>>
    /\ durable = 0
    /\ disk = [s \in Slots |-> EmptyRec]
    /\ acked = 0
    /\ ckPhase = "idle"
    /\ snap = NoVals
    /\ snapLsn = 0
    /\ written = {}
    /\ spare = NoVals
    /\ sealed = [lsn |-> 0, vals |-> BootVals]
    /\ restored = {}
    /\ replayPos = 0
    /\ crashes = 0
    /\ hDurable = BootVals

(* ---------------------------- guards ----------------------------------- *)

Running == sysPhase = "running"
Present(o) == mem[o] # Absent
IsAbsent(o) == mem[o] = Absent
DepsPresent(o) == \A p \in Deps[o] : mem[p] # Absent
NoDependents(o) == \A x \in Objects : o \in Deps[x] => mem[x] = Absent
LsnLeft == head < MaxLsn
\* The slot the next record will take holds a record the sealed checkpoint
\* already covers, so recovery no longer needs it.
LogHasSpace == head + 1 - LogSize <= sealed.lsn
BufNonEmpty == buf # <<>>
NewDurable == acked < durable
CheckpointIdle == ckPhase = "idle"
CheckpointWriting == ckPhase = "writing"
SomethingToCheckpoint == head > sealed.lsn
NotWritten(o) == o \notin written
\* A checkpoint writes the objects present in its snapshot, nothing for an
\* absent one (its spare value stays Absent).
InSnapshot(o) == snap[o] # Absent
SnapshotObjects == {o \in Objects : snap[o] # Absent}
\* The snapshot streams out in dependency order, so the part already written
\* is itself closed under dependencies (a dependency absent from the snapshot
\* is never written: CheckpointClosed catches the snapshot that lacks it).
DepsWritten(o) == \A p \in Deps[o] : p \in written \/ ~InSnapshot(p)
AllWritten == written = SnapshotObjects
LogDurableToSnapshot == durable >= snapLsn
CrashBudgetLeft == crashes < MaxCrashes
\* Only a record caught in the middle of its flush can be torn.
TornPossible(torn) == torn => (Running /\ buf # <<>>)
Crashed == sysPhase = "crashed"
Restoring == sysPhase = "restoring"
Replaying == sysPhase = "replaying"
InCheckpoint(o) == sealed.vals[o] # Absent
CheckpointObjects == {o \in Objects : sealed.vals[o] # Absent}
NotRestored(o) == o \notin restored
DepsRestored(o) == Deps[o] \subseteq restored
AllRestored == restored = CheckpointObjects
NextRec == disk[Slot(replayPos + 1)]
NextRecordValid == replayPos < MaxLsn /\ NextRec.lsn = replayPos + 1 /\ NextRec.ok
EndOfLog == ~NextRecordValid

(* ---------------------------- actions ---------------------------------- *)

NewRec(o, v) == [lsn |-> head + 1, obj |-> o, val |-> v, ok |-> TRUE]

Create(o) ==
    /\ Running
    /\ IsAbsent(o)
    /\ DepsPresent(o)
    /\ LsnLeft
    /\ LogHasSpace
    /\ mem' = [mem EXCEPT ![o] = 1]
    /\ head' = head + 1
    /\ buf' = Append(buf, NewRec(o, 1))
    /\ UNCHANGED <<sysPhase, durable, disk, acked, ckPhase, snap, snapLsn, written, spare,
                   sealed, restored, replayPos, crashes, hDurable>>

\* Any change of an object's contents: the two versions alternate.
Update(o) ==
    /\ Running
    /\ Present(o)
    /\ LsnLeft
    /\ LogHasSpace
    /\ mem' = [mem EXCEPT ![o] = 3 - mem[o]]
    /\ head' = head + 1
    /\ buf' = Append(buf, NewRec(o, 3 - mem[o]))
    /\ UNCHANGED <<sysPhase, durable, disk, acked, ckPhase, snap, snapLsn, written, spare,
                   sealed, restored, replayPos, crashes, hDurable>>

Delete(o) ==
    /\ Running
    /\ Present(o)
    /\ NoDependents(o)
    /\ LsnLeft
    /\ LogHasSpace
    /\ mem' = [mem EXCEPT ![o] = Absent]
    /\ head' = head + 1
    /\ buf' = Append(buf, NewRec(o, Absent))
    /\ UNCHANGED <<sysPhase, durable, disk, acked, ckPhase, snap, snapLsn, written, spare,
                   sealed, restored, replayPos, crashes, hDurable>>

Flush ==
    /\ Running
    /\ BufNonEmpty
    /\ disk' = [disk EXCEPT ![Slot(buf[1].lsn)] = buf[1]]
    /\ durable' = buf[1].lsn
    /\ buf' = Tail(buf)
    /\ hDurable' = [hDurable EXCEPT ![buf[1].obj] = buf[1].val]
    /\ UNCHANGED <<sysPhase, mem, head, acked, ckPhase, snap, snapLsn, written, spare,
                   sealed, restored, replayPos, crashes>>

Ack ==
    /\ Running
    /\ NewDurable
    /\ acked' = durable
    /\ UNCHANGED <<sysPhase, mem, head, buf, durable, disk, ckPhase, snap, snapLsn, written,
                   spare, sealed, restored, replayPos, crashes, hDurable>>

BeginCheckpoint ==
    /\ Running
    /\ CheckpointIdle
    /\ SomethingToCheckpoint
    /\ ckPhase' = "writing"
    /\ snap' = mem
    /\ snapLsn' = head
    /\ written' = {}
    /\ spare' = NoVals
    /\ UNCHANGED <<sysPhase, mem, head, buf, durable, disk, acked, sealed, restored,
                   replayPos, crashes, hDurable>>

WriteObject(o) ==
    /\ Running
    /\ CheckpointWriting
    /\ InSnapshot(o)
    /\ NotWritten(o)
    /\ DepsWritten(o)
    /\ spare' = [spare EXCEPT ![o] = mem[o]]
    /\ written' = written \cup {o}
    /\ UNCHANGED <<sysPhase, mem, head, buf, durable, disk, acked, ckPhase, snap, snapLsn,
                   sealed, restored, replayPos, crashes, hDurable>>

\* The atomic superblock switch.
Seal ==
    /\ Running
    /\ CheckpointWriting
    /\ AllWritten
    /\ LogDurableToSnapshot
    /\ sealed' = [lsn |-> snapLsn, vals |-> spare]
    /\ ckPhase' = "idle"
    /\ snap' = NoVals
    /\ snapLsn' = 0
    /\ written' = {}
    /\ spare' = NoVals
    /\ UNCHANGED <<sysPhase, mem, head, buf, durable, disk, acked,
                   restored, replayPos, crashes, hDurable>>

\* torn: the record being flushed reached its slot only partly.
Crash(torn) ==
    /\ CrashBudgetLeft
    /\ TornPossible(torn)
    /\ sysPhase' = "crashed"
    /\ mem' = NoVals
    /\ head' = 0
    /\ buf' = <<>>
    /\ durable' = 0
    /\ disk' = IF torn THEN [disk EXCEPT ![Slot(buf[1].lsn)] = [buf[1] EXCEPT !.ok = FALSE]]
                       ELSE disk
    /\ ckPhase' = "idle"
    /\ snap' = NoVals
    /\ snapLsn' = 0
    /\ written' = {}
    /\ restored' = {}
    /\ replayPos' = 0
    /\ spare' = NoVals
    /\ crashes' = crashes + 1
    /\ UNCHANGED <<acked, sealed, hDurable>>

LoadCheckpoint ==
    /\ Crashed
    /\ sysPhase' = "restoring"
    /\ restored' = {}
    /\ UNCHANGED <<mem, head, buf, durable, disk, acked, ckPhase, snap, snapLsn, written,
                   spare, sealed, replayPos, crashes, hDurable>>

RestoreObject(o) ==
    /\ Restoring
    /\ InCheckpoint(o)
    /\ NotRestored(o)
    /\ DepsRestored(o)
    /\ mem' = [mem EXCEPT ![o] = sealed.vals[o]]
    /\ restored' = restored \cup {o}
    /\ UNCHANGED <<sysPhase, head, buf, durable, disk, acked, ckPhase, snap, snapLsn, written,
                   spare, sealed, replayPos, crashes, hDurable>>

StartReplay ==
    /\ Restoring
    /\ AllRestored
    /\ sysPhase' = "replaying"
    /\ replayPos' = sealed.lsn
    /\ UNCHANGED <<mem, head, buf, durable, disk, acked, ckPhase, snap, snapLsn, written,
                   spare, sealed, restored, crashes, hDurable>>

ReplayRecord ==
    /\ Replaying
    /\ NextRecordValid
    /\ mem' = [mem EXCEPT ![NextRec.obj] = NextRec.val]
    /\ replayPos' = replayPos + 1
    /\ UNCHANGED <<sysPhase, head, buf, durable, disk, acked, ckPhase, snap, snapLsn, written,
                   spare, sealed, restored, crashes, hDurable>>

\* The scanner stopped at a missing or torn record: that is the durable end.
Resume ==
    /\ Replaying
    /\ EndOfLog
    /\ sysPhase' = "running"
    /\ head' = replayPos
    /\ durable' = replayPos
    /\ restored' = {}
    /\ UNCHANGED <<mem, buf, disk, acked, ckPhase, snap, snapLsn, written, spare, sealed,
                   replayPos, crashes, hDurable>>

RecoveryStep ==
    \/ LoadCheckpoint
    \/ \E o \in Objects : RestoreObject(o)
    \/ StartReplay
    \/ ReplayRecord
    \/ Resume

PersistNext ==
    \/ \E o \in Objects : Create(o) \/ Update(o) \/ Delete(o) \/ WriteObject(o)
    \/ Flush \/ Ack \/ BeginCheckpoint \/ Seal
    \/ \E torn \in BOOLEAN : Crash(torn)
    \/ RecoveryStep

\* Recovery must not wait forever for a step it could take.
PersistSpec == PersistInit /\ [][PersistNext]_vars /\ WF_vars(RecoveryStep)

(* ---------------------------- invariants ------------------------------- *)

\* A checkpoint writes only objects present in its snapshot.
WrittenFromSnapshot ==
    \A o \in written : snap[o] # Absent

\* No object is restored before what it depends on.
RestoreRespectsDeps ==
    \A o \in restored : Deps[o] \subseteq restored

\* A running system with nothing buffered holds exactly the state the durable
\* log defines: true in normal running, and what recovery must re-establish.
RecoveredStateMatches ==
    (Running /\ buf = <<>>) => mem = hDurable

\* Nothing acknowledged as durable is ever lost, across any crash.
NothingAckedLost ==
    Running => acked <= durable

\* The sealed checkpoint holds everything its objects depend on.
CheckpointClosed ==
    \A o \in Objects : sealed.vals[o] # Absent => \A p \in Deps[o] : sealed.vals[p] # Absent

\* Every durable record after the sealed checkpoint is still in its slot,
\* intact: the circular log never overwrote what recovery needs.
LogKeepsNeeded ==
    Running =>
        \A n \in (sealed.lsn + 1)..durable : disk[Slot(n)].lsn = n /\ disk[Slot(n)].ok

(* ---------------------------- properties ------------------------------- *)

\* Recovery finishes: a crashed system is eventually running again.
RecoveryFinishes == (sysPhase # "running") ~> (sysPhase = "running")

THEOREM PersistSpec => [](WrittenFromSnapshot /\ RestoreRespectsDeps /\ RecoveredStateMatches
                          /\ NothingAckedLost /\ CheckpointClosed /\ LogKeepsNeeded) /\ RecoveryFinishes
=============================================================================
