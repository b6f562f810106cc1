-------------------------------- MODULE Ipc --------------------------------
(***************************************************************************)
(* Asynchronous IPC.  Each thread has a bounded message vector.  Send      *)
(* never blocks: it appends one message (6 words, at most one item) to the *)
(* receiver's vector, or it is refused (vector full, bad local id, missing *)
(* right) and changes nothing.  Receive takes the oldest message; a thread *)
(* with an empty vector may Wait, and the next send to it wakes it.        *)
(* The receiver is always named by the sender's local id.                  *)
(*                                                                         *)
(* Ghost variables (h prefix) exist only to state the invariants.  They    *)
(* count sent minus received rather than each alone: the difference is    *)
(* all the invariants need, and absolute counters would make the state    *)
(* space grow with every message.                                         *)
(***************************************************************************)
EXTENDS CSpace, Sequences, Integers

CONSTANTS
    Payloads,  \* the 6-word payloads the model sends, a subset of [1..6 -> Nat]
    MaxMsgs,   \* capacity of every message vector
    MaxSlot    \* largest slot an item can name (local id or virtual page)

VARIABLES
    inbox,    \* inbox[t]: t's message vector, oldest first
    waiting,  \* waiting[t]: t is blocked in Wait until a message arrives
    hInFlight, \* ghost: hInFlight[a][b] = messages a sent to b minus messages b received from a
    hTag       \* ghost: hTag[b][i] = k when inbox[b][i] is the k-th message of its sender to b not yet received

ipcVars == <<inbox, waiting, hInFlight, hTag>>

ASSUME Payloads \subseteq [1..6 -> Nat]
ASSUME MaxMsgs \in Nat \ {0}
ASSUME MaxSlot \in Nat

ItemKinds == {"none", "mapPage", "grantPage", "copyPage", "mapCap", "grantCap", "copyCap"}
\* slot: where the item landed in the receiver (a virtual page or a local id), 0 for none.
Item == [kind: ItemKinds, slot: 0..MaxSlot]
NoItem == [kind |-> "none", slot |-> 0]
\* gen: the sender's generation when it sent (Kernel.tla's gen; 0 for Ipc alone, which
\* deletes no thread), so a message is never taken for one of a later thread in its object.
Msg == [from: Threads, gen: Nat, words: [1..6 -> Int], item: Item]

IpcTypeOK ==
    /\ inbox \in [Threads -> Seq(Msg)]
    /\ waiting \in [Threads -> BOOLEAN]
    /\ hInFlight \in [Threads -> [Threads -> 0..MaxMsgs]]
    /\ hTag \in [Threads -> Seq(1..MaxMsgs)]

NoCounts == [a \in Threads |-> [b \in Threads |-> 0]]

IpcInit ==
    /\ inbox = [t \in Threads |-> <<>>]
    /\ waiting = [t \in Threads |-> FALSE]
    /\ hInFlight = NoCounts
    /\ hTag = [t \in Threads |-> <<>>]

(* ---------------------------- guards ----------------------------------- *)

Running(t) == ~waiting[t]
HasRoom(t, d) == Len(inbox[Target(t, d)]) < MaxMsgs
InboxNonEmpty(t) == inbox[t] # <<>>
InboxEmpty(t) == inbox[t] = <<>>

(* ------------- the operations, as the new values they produce ---------- *)

Deliver(t, d, w, it, g) ==
    LET r == Target(t, d) IN
    [inbox EXCEPT ![r] = Append(inbox[r], [from |-> t, gen |-> g, words |-> w, item |-> it])]

WakeReceiver(t, d) == [waiting EXCEPT ![Target(t, d)] = FALSE]

CountSent(t, d) ==
    LET r == Target(t, d) IN
    [hInFlight EXCEPT ![t][r] = hInFlight[t][r] + 1]

TagSent(t, d) ==
    LET r == Target(t, d) IN
    [hTag EXCEPT ![r] = Append(hTag[r], hInFlight[t][r] + 1)]

Dequeue(t) == [inbox EXCEPT ![t] = Tail(inbox[t])]

CountReceived(t) ==
    LET a == inbox[t][1].from IN
    [hInFlight EXCEPT ![a][t] = hInFlight[a][t] - 1]

\* The received message leaves; every other message of the same sender moves
\* one place up in that sender's order.
UntagReceived(t) ==
    LET a == inbox[t][1].from IN
    [hTag EXCEPT ![t] = [i \in 1..(Len(hTag[t]) - 1) |->
        IF inbox[t][i + 1].from = a THEN hTag[t][i + 1] - 1 ELSE hTag[t][i + 1]]]

StartWaiting(t) == [waiting EXCEPT ![t] = TRUE]

(* ---------------- IPC on its own (used by MCIpc) ----------------------- *)

IpcSend(t, d, w) ==
    /\ Running(t)
    /\ CanSend(t, d)
    /\ HasRoom(t, d)
    /\ inbox' = Deliver(t, d, w, NoItem, 0)
    /\ waiting' = WakeReceiver(t, d)
    /\ hInFlight' = CountSent(t, d)
    /\ hTag' = TagSent(t, d)
    /\ UNCHANGED <<cspace, capAnc>>

IpcReceive(t) ==
    /\ Running(t)
    /\ InboxNonEmpty(t)
    /\ inbox' = Dequeue(t)
    /\ hInFlight' = CountReceived(t)
    /\ hTag' = UntagReceived(t)
    /\ UNCHANGED <<waiting, cspace, capAnc>>

IpcWait(t) ==
    /\ Running(t)
    /\ InboxEmpty(t)
    /\ waiting' = StartWaiting(t)
    /\ UNCHANGED <<inbox, hInFlight, hTag, cspace, capAnc>>

IpcNext ==
    \/ \E t \in Threads, d \in LocalIds, w \in Payloads : IpcSend(t, d, w)
    \/ \E t \in Threads : IpcReceive(t) \/ IpcWait(t)

IpcSpec == CSpaceInit /\ IpcInit /\ [][IpcNext]_<<ipcVars, cspaceVars>>

(* ---------------------------- invariants ------------------------------- *)

VectorsBounded == \A t \in Threads : Len(inbox[t]) <= MaxMsgs

\* How many messages from a are queued for b, and how many of them sit at positions 1..i.
QueuedFrom(b, a) == Cardinality({i \in 1..Len(inbox[b]) : inbox[b][i].from = a})
RankFrom(b, i) == Cardinality({j \in 1..i : inbox[b][j].from = inbox[b][i].from})

\* sent = received + queued, for every sender-receiver pair.
NoLossNoDup ==
    \A a, b \in Threads : hInFlight[a][b] = QueuedFrom(b, a)

\* The k-th queued message from a to b is the k-th a sent to b after the ones
\* b already received: each pair's messages are received in sending order.
FifoPerPair ==
    \A b \in Threads :
        /\ Len(hTag[b]) = Len(inbox[b])
        /\ \A i \in 1..Len(inbox[b]) : hTag[b][i] = RankFrom(b, i)

\* A waiting thread has nothing to receive: a send always wakes its receiver.
NoLostWakeup == \A t \in Threads : waiting[t] => inbox[t] = <<>>

=============================================================================
