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
(*   Restore     the kernel's variables are set to the sealed checkpoint.  *)
(*   Replay      one durable record after the checkpoint's LSN is applied  *)
(*               through the same kernel action (one step per record).     *)
(*   Resume      the log is replayed to its end: the kernel runs again.    *)
(*                                                                         *)
(* Kernel operations are not idempotent (a Send replayed twice delivers    *)
(* twice), so replay starts strictly after the checkpoint's LSN; the       *)
(* ghost hStates (hStates[n + 1] = the kernel's variables after record n)  *)
(* states what every replay must reach.                                    *)
(***************************************************************************)
EXTENDS Kernel

CONSTANTS
    MaxOps,     \* the log holds at most this many records (bounds the model)
    MaxCrashes  \* at most this many crashes (so that recovery can be required to finish)

ASSUME MaxOps \in Nat /\ MaxCrashes \in Nat

VARIABLES
    phase,    \* "run": the kernel runs; "down": crashed, memory lost; "replay": restored, replaying the log
    log,      \* log[i]: the i-th operation record since boot (a prefix of it is durable)
    durable,  \* the first durable records: log[1..durable] survive a crash
    pending,  \* the last record of log is recorded but its effect has not run yet
    ck,       \* the sealed checkpoint: [lsn, state]; recovery starts from it
    ckOpen,   \* a checkpoint has begun and is not sealed yet
    ckNew,    \* the open checkpoint: [lsn, state]
    rp,       \* during replay: the last record applied
    crashes,  \* crashes so far
    hStates   \* ghost: hStates[n + 1] = the kernel's variables after the n-th record's effect

pkVars == <<phase, log, durable, pending, ck, ckOpen, ckNew, rp, crashes, hStates>>
allVars == <<vars, pkVars>>

NoArg == 0

\* An operation record: the kernel action's name and its arguments (unused ones NoArg).
Op(n, t, d, w, v, l, m) == [name |-> n, t |-> t, d |-> d, w |-> w, v |-> v, l |-> l, m |-> m]

Ops ==
    {Op("Send", t, d, w, NoArg, NoArg, {}) : t \in Threads, d \in LocalIds, w \in Payloads}
    \cup {Op(n, t, d, w, v, NoArg, {}) :
            n \in {"MapPage", "GrantPage", "CopyPage"}, t \in Threads, d \in LocalIds, w \in Payloads, v \in VPages}
    \cup {Op(n, t, d, w, NoArg, l, m) :
            n \in {"MapCap", "CopyCap"}, t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds,
            m \in SUBSET Rights}
    \cup {Op("GrantCap", t, d, w, NoArg, l, {}) : t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds}
    \cup {Op(n, t, NoArg, NoArg, NoArg, NoArg, {}) : n \in {"Receive", "Wait"}, t \in Threads}
    \cup {Op("Unmap", t, NoArg, NoArg, v, NoArg, {}) : t \in Threads, v \in VPages}
    \cup {Op("Revoke", t, NoArg, NoArg, NoArg, l, {}) : t \in Threads, l \in LocalIds}

\* The kernel action an operation record names, with its arguments.
Apply(op) ==
    \/ op.name = "Send" /\ Send(op.t, op.d, op.w)
    \/ op.name = "MapPage" /\ MapPage(op.t, op.d, op.w, op.v)
    \/ op.name = "GrantPage" /\ GrantPage(op.t, op.d, op.w, op.v)
    \/ op.name = "CopyPage" /\ CopyPage(op.t, op.d, op.w, op.v)
    \/ op.name = "MapCap" /\ MapCap(op.t, op.d, op.w, op.l, op.m)
    \/ op.name = "CopyCap" /\ CopyCap(op.t, op.d, op.w, op.l, op.m)
    \/ op.name = "GrantCap" /\ GrantCap(op.t, op.d, op.w, op.l)
    \/ op.name = "Receive" /\ Receive(op.t)
    \/ op.name = "Wait" /\ Wait(op.t)
    \/ op.name = "Unmap" /\ Unmap(op.t, op.v)
    \/ op.name = "Revoke" /\ Revoke(op.t, op.l)

\* The last record whose effect has run.
Applied == Len(log) - (IF pending THEN 1 ELSE 0)

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
    /\ crashes = 0
    /\ hStates = <<vars>>

(* ---------------------------- actions ---------------------------------- *)

Record(op) ==
    /\ phase = "run"
    /\ ~pending
    /\ Len(log) < MaxOps
    /\ ENABLED Apply(op)
    /\ log' = Append(log, op)
    /\ pending' = TRUE
    /\ UNCHANGED <<vars, phase, durable, ck, ckOpen, ckNew, rp, crashes, hStates>>

Effect ==
    /\ phase = "run"
    /\ pending
    /\ Apply(log[Len(log)])
    /\ pending' = FALSE
    /\ hStates' = Append(hStates, vars')
    /\ UNCHANGED <<phase, log, durable, ck, ckOpen, ckNew, rp, crashes>>

Flush(n) ==
    /\ phase = "run"
    /\ durable < n /\ n <= Applied
    /\ durable' = n
    /\ UNCHANGED <<vars, phase, log, pending, ck, ckOpen, ckNew, rp, crashes, hStates>>

Begin ==
    /\ phase = "run"
    /\ ~ckOpen
    /\ ckOpen' = TRUE
    /\ ckNew' = [lsn |-> Applied, state |-> vars]
    /\ UNCHANGED <<vars, phase, log, durable, pending, ck, rp, crashes, hStates>>

Seal ==
    /\ phase = "run"
    /\ ckOpen
    /\ ckNew.lsn <= durable
    /\ ck' = ckNew
    /\ ckOpen' = FALSE
    /\ UNCHANGED <<vars, phase, log, durable, pending, ckNew, rp, crashes, hStates>>

Crash ==
    /\ crashes < MaxCrashes
    /\ phase' = "down"
    /\ log' = SubSeq(log, 1, durable)
    /\ pending' = FALSE
    /\ ckOpen' = FALSE
    /\ ckNew' = ck
    /\ crashes' = crashes + 1
    /\ hStates' = SubSeq(hStates, 1, durable + 1)
    /\ UNCHANGED <<vars, durable, ck, rp>>

Restore ==
    /\ phase = "down"
    /\ cspace' = ck.state[1]
    /\ capAnc' = ck.state[2]
    /\ pt' = ck.state[3]
    /\ mdb' = mdb
    /\ frameData' = ck.state[5]
    /\ free' = ck.state[6]
    /\ inbox' = ck.state[7]
    /\ waiting' = ck.state[8]
    /\ hInFlight' = ck.state[9]
    /\ hTag' = ck.state[10]
    /\ proc' = ck.state[11]
    /\ gen' = ck.state[12]
    /\ hCreated' = ck.state[13]
    /\ hConfined' = ck.state[14]
    /\ phase' = "replay"
    /\ rp' = ck.lsn
    /\ UNCHANGED <<log, durable, pending, ck, ckOpen, ckNew, crashes, hStates>>

Replay ==
    /\ phase = "replay"
    /\ rp < Len(log)
    /\ Apply(log[rp + 1])
    /\ rp' = rp + 1
    /\ UNCHANGED <<phase, log, durable, pending, ck, ckOpen, ckNew, crashes, hStates>>

Resume ==
    /\ phase = "replay"
    /\ rp = Len(log)
    /\ phase' = "run"
    /\ rp' = 0
    /\ UNCHANGED <<vars, log, durable, pending, ck, ckOpen, ckNew, crashes, hStates>>

PKNext ==
    \/ \E op \in Ops : Record(op)
    \/ Effect
    \/ \E n \in 1..MaxOps : Flush(n)
    \/ Begin
    \/ Seal
    \/ Crash
    \/ Restore
    \/ Replay
    \/ Resume

PKSpec == PKInit /\ [][PKNext]_allVars

\* Recovery runs to its end when nothing else stops it.
PKFairSpec == PKSpec /\ WF_allVars(Restore) /\ WF_allVars(Replay) /\ WF_allVars(Resume)

(* ---------------------------- invariants ------------------------------- *)

\* A running kernel holds the state its log defines: after recovery, the state after the last durable
\* record; during replay, the state after the last record replayed.
RecoveredKernelMatches ==
    /\ phase = "run" => vars = hStates[Applied + 1]
    /\ phase = "replay" => vars = hStates[rp + 1]

\* The kernel's own invariants hold whenever its memory is live, across crash and recovery.
KernelInvariantsAcrossRecovery == phase # "down" => KernelInvariants

\* The sealed checkpoint is the kernel state after its LSN, and every record it covers is durable.
CheckpointMatchesHistory == ck.lsn <= durable /\ ck.state = hStates[ck.lsn + 1]

\* Recovery finishes: a crashed kernel runs again.
RecoveryFinishes == phase # "run" ~> phase = "run"
=============================================================================
