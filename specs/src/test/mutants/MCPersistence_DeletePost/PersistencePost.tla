--------------------------- MODULE PersistencePost ---------------------------
(***************************************************************************)
(* Postconditions of every step of Persistence.tla, as action properties  *)
(* TLC checks, stated apart from the operators: an operation's record     *)
(* takes a fresh LSN above everything durable and is logged with the      *)
(* change; a flush makes exactly the next LSN durable in its slot; seal   *)
(* happens only once the log is durable to the snapshot and seals exactly *)
(* the snapshot; a crash keeps the disk (but for one torn record) and the *)
(* sealed checkpoint; recovery restores an object only after what it      *)
(* depends on, replays intact records in LSN order, stops at the first    *)
(* gap or torn record, and resumes with every acknowledged update back.  *)
(* Witnesses at the end, as in KernelPost.  For the checker only.          *)
(***************************************************************************)
EXTENDS Persistence

SlotOf(n) == n % LogSize
Intact(n) == disk[SlotOf(n)].lsn = n /\ disk[SlotOf(n)].ok

\* Variables an operation on the live system leaves alone.
LogAndCheckpointKeep ==
    /\ disk' = disk /\ durable' = durable /\ acked' = acked /\ sealed' = sealed
    /\ ckPhase' = ckPhase /\ snap' = snap /\ snapLsn' = snapLsn /\ written' = written /\ spare' = spare
    /\ sysPhase' = sysPhase /\ crashes' = crashes /\ restored' = restored /\ replayPos' = replayPos
    /\ hDurable' = hDurable

\* The change of o to v is logged before anything else sees it: one record with
\* a fresh LSN (above every buffered, durable or acknowledged one, so no LSN is
\* ever reused), appended to the buffer, and o takes the value v.
AppendEffect(o, v) ==
    LET n == head + 1 IN
    /\ n > durable /\ n > acked
    /\ \A i \in 1..Len(buf) : buf[i].lsn < n
    /\ Len(buf') = Len(buf) + 1
    /\ \A i \in 1..Len(buf) : buf'[i] = buf[i]
    /\ buf'[Len(buf')] = [lsn |-> n, obj |-> o, val |-> v, ok |-> TRUE]
    /\ head' = n
    /\ mem'[o] = v
    /\ \A p \in Objects : p # o => mem'[p] = mem[p]
    /\ LogAndCheckpointKeep

CreatePost ==
    [][UNCHANGED vars \/ \A o \in Objects : Create(o) =>
          /\ mem[o] = Absent
          /\ \A p \in Deps[o] : mem[p] # Absent
          /\ AppendEffect(o, 1)]_vars

UpdatePost ==
    [][UNCHANGED vars \/ \A o \in Objects : Update(o) =>
          /\ mem[o] # Absent
          /\ mem'[o] \notin {Absent, mem[o]}
          /\ AppendEffect(o, mem'[o])]_vars

DeletePost ==
    [][UNCHANGED vars \/ \A o \in Objects : Delete(o) =>
          /\ mem[o] # Absent
          /\ \A x \in Objects : o \in Deps[x] => mem[x] = Absent
          /\ AppendEffect(o, Absent)]_vars

\* The oldest buffered record, and only it, becomes durable, in its own slot;
\* it is the next LSN after the durable end, so the durable log stays a prefix.
FlushPost ==
    [][Flush =>
          LET r == buf[1] IN
          /\ r.lsn = durable + 1
          /\ disk'[SlotOf(r.lsn)] = r
          /\ \A s \in Slots : s # SlotOf(r.lsn) => disk'[s] = disk[s]
          /\ durable' = r.lsn
          /\ Len(buf') = Len(buf) - 1 /\ \A i \in 1..Len(buf') : buf'[i] = buf[i + 1]
          /\ mem' = mem /\ head' = head /\ acked' = acked /\ sealed' = sealed]_vars

\* Only what is durable, and intact on disk or covered by the sealed checkpoint,
\* is acknowledged.
AckPost ==
    [][Ack =>
          /\ acked' > acked
          /\ acked' <= durable
          /\ \A n \in (sealed.lsn + 1)..acked' : Intact(n)
          /\ mem' = mem /\ disk' = disk /\ durable' = durable /\ buf' = buf]_vars

\* A checkpoint starts only when records were logged since the sealed one (an
\* empty checkpoint is disk work that recovers nothing new), and snapshots the
\* state at the current LSN; only while the system runs (never while it is
\* crashed or recovering), and the phase stays running.
BeginCheckpointPost ==
    [][BeginCheckpoint =>
          /\ sysPhase = "running" /\ sysPhase' = "running"
          /\ head > sealed.lsn
          /\ ckPhase = "idle" /\ ckPhase' = "writing"
          /\ snap' = mem /\ snapLsn' = head /\ written' = {}
          /\ mem' = mem /\ disk' = disk /\ sealed' = sealed /\ buf' = buf]_vars

\* The snapshot streams out in dependency order, unchanged, each of its objects
\* once; an object absent from it is not written.
WriteObjectPost ==
    [][UNCHANGED vars \/ \A o \in Objects : WriteObject(o) =>
          /\ snap[o] # Absent
          /\ o \notin written
          /\ \A p \in Deps[o] : p \in written \/ snap[p] = Absent
          /\ spare'[o] = snap[o]
          /\ \A p \in Objects : p # o => spare'[p] = spare[p]
          /\ written' = written \cup {o}
          /\ snap' = snap /\ mem' = mem /\ sealed' = sealed /\ disk' = disk]_vars

\* Seal only once the log is durable up to the snapshot, and seal exactly the
\* snapshot (every object present in it written), at the snapshot's LSN.
SealPost ==
    [][Seal =>
          /\ durable >= snapLsn
          /\ written = {o \in Objects : snap[o] # Absent}
          /\ sealed'.lsn = snapLsn
          /\ sealed'.vals = snap
          /\ ckPhase' = "idle"
          /\ mem' = mem /\ disk' = disk /\ durable' = durable /\ buf' = buf /\ acked' = acked]_vars

\* A crash loses memory, the buffer and an unsealed checkpoint; the disk keeps
\* every record but the one being flushed, which may land torn; the sealed
\* checkpoint and what was acknowledged stay.
CrashPost ==
    [][UNCHANGED vars \/ \A torn \in BOOLEAN : Crash(torn) =>
          /\ sysPhase' = "crashed"
          /\ mem' = [o \in Objects |-> Absent]
          /\ buf' = <<>>
          /\ sealed' = sealed /\ acked' = acked
          /\ \A s \in Slots :
                \/ disk'[s] = disk[s]
                \/ torn /\ buf # <<>> /\ s = SlotOf(buf[1].lsn)
                   /\ disk'[s] = [lsn |-> buf[1].lsn, obj |-> buf[1].obj, val |-> buf[1].val, ok |-> FALSE]
          /\ crashes' = crashes + 1]_vars

LoadCheckpointPost ==
    [][LoadCheckpoint =>
          /\ sysPhase = "crashed" /\ sysPhase' = "restoring"
          /\ restored' = {}
          /\ mem' = mem /\ disk' = disk /\ sealed' = sealed]_vars

\* An object of the checkpoint comes back with its checkpointed value, only
\* after everything it depends on.
RestoreObjectPost ==
    [][UNCHANGED vars \/ \A o \in Objects : RestoreObject(o) =>
          /\ sealed.vals[o] # Absent
          /\ o \notin restored
          /\ Deps[o] \subseteq restored
          /\ mem'[o] = sealed.vals[o]
          /\ \A p \in Objects : p # o => mem'[p] = mem[p]
          /\ restored' = restored \cup {o}
          /\ disk' = disk /\ sealed' = sealed]_vars

\* Replay starts from exactly the checkpoint's state, at the checkpoint's LSN.
StartReplayPost ==
    [][StartReplay =>
          /\ mem = sealed.vals
          /\ replayPos' = sealed.lsn
          /\ sysPhase' = "replaying"
          /\ mem' = mem /\ disk' = disk]_vars

\* Replay applies the next LSN's record, and only an intact one.
ReplayRecordPost ==
    [][ReplayRecord =>
          LET n == replayPos + 1
              r == disk[SlotOf(n)]
          IN  /\ n <= MaxLsn
              /\ r.lsn = n /\ r.ok
              /\ mem'[r.obj] = r.val
              /\ \A p \in Objects : p # r.obj => mem'[p] = mem[p]
              /\ replayPos' = n
              /\ disk' = disk /\ sealed' = sealed]_vars

\* Replay stops at the first gap or torn record (never earlier: everything
\* from the checkpoint to there was intact), and the system resumes there with
\* every acknowledged update back and the state the durable log defines.
ResumePost ==
    [][Resume =>
          /\ \/ replayPos = MaxLsn
             \/ disk[SlotOf(replayPos + 1)].lsn # replayPos + 1
             \/ ~disk[SlotOf(replayPos + 1)].ok
          /\ \A n \in (sealed.lsn + 1)..replayPos : Intact(n)
          /\ replayPos >= acked
          /\ mem = hDurable
          /\ sysPhase' = "running"
          /\ head' = replayPos /\ durable' = replayPos
          /\ mem' = mem /\ disk' = disk /\ sealed' = sealed]_vars

\* A slot that holds an intact record is only ever overwritten by a later LSN.
NoLsnReused ==
    [][UNCHANGED vars \/ \A s \in Slots :
          (disk[s].ok /\ disk[s].lsn > 0 /\ disk'[s] # disk[s]) => disk'[s].lsn > disk[s].lsn]_vars

(* ---------------------------- witnesses -------------------------------- *)

\* A slot of the circular log is reused: a record lands on an older one.
NoSlotReuse ==
    [][UNCHANGED vars \/ \A s \in Slots : disk[s].lsn > 0 /\ disk'[s].lsn > disk[s].lsn => FALSE]_vars

\* The system crashes again before recovery finished.
NoCrashDuringRecovery ==
    [][sysPhase # "running" => crashes' = crashes]_vars

\* Replay meets a torn record at the end of the log and resumes before it.
NoTornEnd ==
    [][Resume => ~(disk[SlotOf(replayPos + 1)].lsn = replayPos + 1 /\ ~disk[SlotOf(replayPos + 1)].ok)]_vars

\* Two records wait in the buffer at once (a flush has a choice to get wrong).
NoTwoBuffered == Len(buf) < 2

\* An object absent at boot is created, checkpointed and restored by a recovery.
NoCreatedObjectRecovered == restored \subseteq BootObjects

\* An object others depend on is deleted (after its dependents were).
NoDeleteOfDependency ==
    [][UNCHANGED vars \/ \A o \in Objects : Delete(o) => \A x \in Objects : o \notin Deps[x]]_vars

\* An operation runs while a checkpoint is being written (copy-on-write matters).
NoOperationDuringCheckpoint == [][ckPhase = "writing" /\ sysPhase = "running" => head' <= head]_vars

=============================================================================
