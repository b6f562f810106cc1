------------------------------- MODULE Kernel -------------------------------
(***************************************************************************)
(* The kernel: capability tables (CSpace), address spaces and the mapping  *)
(* database (Memory), asynchronous IPC (Ipc), composed.  Every message     *)
(* carries 6 words and at most one item: map, grant or copy of a page or   *)
(* of a capability.  The item is transferred when the message is           *)
(* delivered and lands in the receiver's lowest free virtual page or local *)
(* id; the message records where.  Passing an item needs the "grant" right *)
(* on the channel, sending at all needs "send".                            *)
(*                                                                         *)
(* This is the module the code generator compiles: each action below      *)
(* becomes one method (Send -> send, MapPage -> mapPage, ...), each guard  *)
(* conjunct a named refusal.  Variables with an h prefix are ghosts.       *)
(***************************************************************************)
EXTENDS Ipc, Memory

vars == <<cspace, capAnc, pt, mdb, frameData, free, inbox, waiting, hInFlight, hTag>>

TypeOK ==
    /\ cspace \in [Threads -> [LocalIds -> Cap]]
    /\ capAnc \in [Threads -> [LocalIds -> SUBSET CapNodes]]
    /\ pt \in [Threads -> [VPages -> Frames \cup {NoFrame}]]
    /\ mdb \in [Threads -> [VPages -> MdbNode]]
    /\ frameData \in [Frames -> Frames \cup {NoData}]
    /\ free \in SUBSET Frames
    /\ inbox \in [Threads -> Seq(Msg)]
    /\ waiting \in [Threads -> BOOLEAN]
    /\ hInFlight \in [Threads -> [Threads -> 0..MaxMsgs]]
    /\ hTag \in [Threads -> Seq(1..MaxMsgs)]

Init ==
    /\ cspace = InitCSpace
    /\ capAnc = NoAncestors
    /\ pt = InitPages
    /\ mdb = BootMdb
    /\ frameData = BootData
    /\ free = Frames \ BootFrames
    /\ inbox = [t \in Threads |-> <<>>]
    /\ waiting = [t \in Threads |-> FALSE]
    /\ hInFlight = NoCounts
    /\ hTag = [t \in Threads |-> <<>>]

PageItem(kind, t, d) == [kind |-> kind, slot |-> FirstFreePage(Target(t, d))]
CapItem(kind, t, d) == [kind |-> kind, slot |-> FirstFreeSlot(Target(t, d))]

(* ---------------------------- actions ---------------------------------- *)

\* The fast path: 6 words, no item.
Send(t, d, w) ==
    /\ Running(t)
    /\ CanSend(t, d)
    /\ HasRoom(t, d)
    /\ inbox' = Deliver(t, d, w, NoItem)
    /\ waiting' = WakeReceiver(t, d)
    /\ hInFlight' = CountSent(t, d)
    /\ hTag' = TagSent(t, d)
    /\ UNCHANGED <<cspace, capAnc, pt, mdb, frameData, free>>

MapPage(t, d, w, v) ==
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ HasRoom(t, d)
    /\ PageMapped(t, v)
    /\ ReceiverHasFreePage(t, d)
    /\ inbox' = Deliver(t, d, w, PageItem("mapPage", t, d))
    /\ waiting' = WakeReceiver(t, d)
    /\ hInFlight' = CountSent(t, d)
    /\ hTag' = TagSent(t, d)
    /\ pt' = MapPageTables(t, d, v)
    /\ mdb' = MapPageMdb(t, d, v)
    /\ UNCHANGED <<cspace, capAnc, frameData, free>>

GrantPage(t, d, w, v) ==
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ HasRoom(t, d)
    /\ PageMapped(t, v)
    /\ ReceiverHasFreePage(t, d)
    /\ inbox' = Deliver(t, d, w, PageItem("grantPage", t, d))
    /\ waiting' = WakeReceiver(t, d)
    /\ hInFlight' = CountSent(t, d)
    /\ hTag' = TagSent(t, d)
    /\ pt' = GrantPageTables(t, d, v)
    /\ mdb' = GrantPageMdb(t, d, v)
    /\ UNCHANGED <<cspace, capAnc, frameData, free>>

CopyPage(t, d, w, v) ==
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ HasRoom(t, d)
    /\ PageMapped(t, v)
    /\ ReceiverHasFreePage(t, d)
    /\ FrameAvailable
    /\ inbox' = Deliver(t, d, w, PageItem("copyPage", t, d))
    /\ waiting' = WakeReceiver(t, d)
    /\ hInFlight' = CountSent(t, d)
    /\ hTag' = TagSent(t, d)
    /\ pt' = CopyPageTables(t, d)
    /\ mdb' = CopyPageMdb(t, d)
    /\ frameData' = CopyPageData(t, v)
    /\ free' = free \ {FreshFrame}
    /\ UNCHANGED <<cspace, capAnc>>

MapCap(t, d, w, l, m) ==
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ HasRoom(t, d)
    /\ HoldsCap(t, l)
    /\ RightsWithin(t, l, m)
    /\ ReceiverHasFreeSlot(t, d)
    /\ inbox' = Deliver(t, d, w, CapItem("mapCap", t, d))
    /\ waiting' = WakeReceiver(t, d)
    /\ hInFlight' = CountSent(t, d)
    /\ hTag' = TagSent(t, d)
    /\ cspace' = MapCapTable(t, d, l, m)
    /\ capAnc' = MapCapAnc(t, d, l)
    /\ UNCHANGED <<pt, mdb, frameData, free>>

GrantCap(t, d, w, l) ==
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ HasRoom(t, d)
    /\ HoldsCap(t, l)
    /\ ReceiverHasFreeSlot(t, d)
    /\ inbox' = Deliver(t, d, w, CapItem("grantCap", t, d))
    /\ waiting' = WakeReceiver(t, d)
    /\ hInFlight' = CountSent(t, d)
    /\ hTag' = TagSent(t, d)
    /\ cspace' = GrantCapTable(t, d, l)
    /\ capAnc' = GrantCapAnc(t, d, l)
    /\ UNCHANGED <<pt, mdb, frameData, free>>

CopyCap(t, d, w, l, m) ==
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ HasRoom(t, d)
    /\ HoldsCap(t, l)
    /\ RightsWithin(t, l, m)
    /\ ReceiverHasFreeSlot(t, d)
    /\ inbox' = Deliver(t, d, w, CapItem("copyCap", t, d))
    /\ waiting' = WakeReceiver(t, d)
    /\ hInFlight' = CountSent(t, d)
    /\ hTag' = TagSent(t, d)
    /\ cspace' = CopyCapTable(t, d, l, m)
    /\ capAnc' = CopyCapAnc(t, d)
    /\ UNCHANGED <<pt, mdb, frameData, free>>

Receive(t) ==
    /\ Running(t)
    /\ InboxNonEmpty(t)
    /\ inbox' = Dequeue(t)
    /\ hInFlight' = CountReceived(t)
    /\ hTag' = UntagReceived(t)
    /\ UNCHANGED <<waiting, cspace, capAnc, pt, mdb, frameData, free>>

Wait(t) ==
    /\ Running(t)
    /\ InboxEmpty(t)
    /\ waiting' = StartWaiting(t)
    /\ UNCHANGED <<inbox, hInFlight, hTag, cspace, capAnc, pt, mdb, frameData, free>>

Unmap(t, v) ==
    /\ Running(t)
    /\ PageMapped(t, v)
    /\ pt' = UnmapTables(t, v)
    /\ mdb' = UnmapMdb(t, v)
    /\ UNCHANGED <<inbox, waiting, hInFlight, hTag, cspace, capAnc, frameData, free>>

Revoke(t, l) ==
    /\ Running(t)
    /\ HoldsCap(t, l)
    /\ cspace' = RevokeTable(t, l)
    /\ capAnc' = RevokeAnc(t, l)
    /\ UNCHANGED <<inbox, waiting, hInFlight, hTag, pt, mdb, frameData, free>>

Next ==
    \/ \E t \in Threads, d \in LocalIds, w \in Payloads : Send(t, d, w)
    \/ \E t \in Threads, d \in LocalIds, w \in Payloads, v \in VPages :
          MapPage(t, d, w, v) \/ GrantPage(t, d, w, v) \/ CopyPage(t, d, w, v)
    \/ \E t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds, m \in SUBSET Rights :
          MapCap(t, d, w, l, m) \/ CopyCap(t, d, w, l, m)
    \/ \E t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds : GrantCap(t, d, w, l)
    \/ \E t \in Threads : Receive(t) \/ Wait(t)
    \/ \E t \in Threads, v \in VPages : Unmap(t, v)
    \/ \E t \in Threads, l \in LocalIds : Revoke(t, l)

Spec == Init /\ [][Next]_vars

(* ---------------------------- invariants ------------------------------- *)
(* Defined in the modules they speak about; collected here for the cfg.    *)

KernelInvariants ==
    /\ TypeOK
    /\ MdbForest /\ MdbMatchesPageTables
    /\ NoLossNoDup /\ FifoPerPair /\ VectorsBounded /\ NoLostWakeup
    /\ CapTreeWellFormed /\ RightsNeverAmplified /\ AuthorityConnected /\ Confinement

THEOREM Spec => []KernelInvariants
=============================================================================
