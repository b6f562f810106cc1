------------------------------- MODULE Kernel -------------------------------
(***************************************************************************)
(* The kernel: capability tables (CSpace), address spaces and the mapping  *)
(* database (Memory), asynchronous IPC (Ipc), composed.  Every message     *)
(* carries 6 words and at most one item: map, grant or copy of a page or   *)
(* of a capability.  The item is transferred when the message is           *)
(* delivered and lands in the free virtual page or the free local id of  *)
(* the receiver's that the implementation chooses (an argument of the     *)
(* action); the message records where.  Passing an item needs the "grant" right *)
(* on the channel, sending at all needs "send".                            *)
(*                                                                         *)
(* Threads live in processes (Memory.tla: a process is an address space   *)
(* its threads share).  CreateThread and CreateProcess make a thread out  *)
(* of a free thread object and give its creator a capability to it        *)
(* (introduction by creation); DeleteThread and DeleteProcess end threads *)
(* (see "lifecycle" below for what a deletion takes with it).             *)
(*                                                                         *)
(* This is the module the code generator compiles: each action below      *)
(* becomes one method (Send -> send, MapPage -> mapPage, ...), each guard  *)
(* conjunct a named refusal.  Variables with an h prefix are ghosts.       *)
(***************************************************************************)
EXTENDS Ipc, Memory

CONSTANTS
    MaxGen,      \* a thread object is deleted at most MaxGen times (bounds the models; the kernel's is 2^31 - 1)
    Checkpointers \* the checkpointers' thread objects ({} when the system has none; the kernel declares at most one):
                  \* trusted, see "checkpoints" below

VARIABLES
    gen,        \* gen[t]: how many times thread object t was deleted; a capability names one generation
    hCreated,   \* ghost: <<creator, created>> for every thread created so far (authority by introduction)
    hConfined   \* ghost: the confined group, Confined and the threads its members created

ASSUME MaxGen \in Nat
ASSUME Checkpointers \subseteq Threads

lifeVars == <<proc, gen, hCreated, hConfined>>
vars == <<cspace, capAnc, pt, mdb, frameData, free, inbox, waiting, hInFlight, hTag, proc, gen, hCreated, hConfined>>

TypeOK ==
    /\ cspace \in [Threads -> [LocalIds -> Cap]]
    /\ capAnc \in [Threads -> [LocalIds -> SUBSET CapNodes]]
    /\ pt \in [Procs -> [VPages -> Frames \cup {NoFrame}]]
    /\ mdb \in [Procs -> [VPages -> MdbNode]]
    /\ frameData \in [Frames -> Frames \cup {NoData}]
    /\ free \in SUBSET Frames
    /\ inbox \in [Threads -> Seq(Msg)]
    /\ waiting \in [Threads -> BOOLEAN]
    /\ hInFlight \in [Threads -> [Threads -> 0..MaxMsgs]]
    /\ hTag \in [Threads -> Seq(1..MaxMsgs)]
    /\ proc \in [Threads -> Procs \cup {NoProc}]
    /\ gen \in [Threads -> 0..MaxGen]
    /\ hCreated \in SUBSET (Threads \X Threads)
    /\ hConfined \in SUBSET Threads

Init ==
    /\ cspace = InitCSpace
    /\ capAnc = NoAncestors
    /\ pt = InitPages
    /\ mdb = BootMdb
    /\ frameData = BootData
    /\ free = Frames \ BootFrames
    /\ inbox = [t \in Threads |-> <<>>]
    /\ waiting = [t \in Threads |-> InitProc[t] = NoProc]
    /\ hInFlight = NoCounts
    /\ hTag = [t \in Threads |-> <<>>]
    /\ proc = InitProc
    /\ gen = [t \in Threads |-> 0]
    /\ hCreated = {}
    /\ hConfined = Confined

(* ---------------------------- lifecycle -------------------------------- *)
(* A thread object is live when it belongs to a process; a free one is     *)
(* parked: waiting, with an empty vector and an empty table, so Running    *)
(* refuses every call it could make, and no capability of its current     *)
(* generation exists.  A deletion bumps the object's generation: every    *)
(* capability that named it keeps its slot but refuses with "no such      *)
(* object" (ObjectExists), also after the object is reused.               *)
(*                                                                         *)
(* Deleting threads D (and with them the address spaces Q of the          *)
(* processes they leave empty):                                            *)
(*   - their tables are emptied and every capability derived from their  *)
(*     entries, at any depth, is revoked;                                  *)
(*   - the mappings of Q's address spaces and every mapping derived from  *)
(*     them, at any depth, are removed; a frame left with no mapping      *)
(*     returns to the allocator (its contents dropped);                    *)
(*   - the messages queued for them are dropped (their items had landed   *)
(*     in what the deletion removes);                                      *)
(*   - the messages they sent stay queued and are received as sent: they  *)
(*     were sent while the sender lived, and their items have landed.    *)

Live(u) == proc[u] # NoProc
FreeThread(u) == proc[u] = NoProc
\* A process object with no thread is free (its address space is empty, EmptyProcessHasNoPages).
FreeProcess(q) == \A x \in Threads : proc[x] # q
\* The capability in t's slot d names the current generation of its object.
ObjectExists(t, d) == cspace[t][d].gen = gen[Target(t, d)]
CallerHasFreeSlot(t) == FreeSlots(t) # {}
\* Deleting needs every right on the capability (the creator receives them all).
CanDelete(t, d) == Rights \subseteq cspace[t][d].rights
\* The target and every other thread of its process may still be deleted (MaxGen bounds the models).
ProcessGenerationsLeft(t, d) == \A x \in Threads : proc[x] = proc[Target(t, d)] => gen[x] < MaxGen
GenerationLeft(t, d) == gen[Target(t, d)] < MaxGen

\* The new thread's capability: every right, the object's current generation.
CreatedCap(u) == [obj |-> u, rights |-> Rights, gen |-> gen[u]]

\* The creator's slot s is the implementation's choice, as an item's is.
CreateTable(t, u, s) == [cspace EXCEPT ![t][s] = CreatedCap(u)]

\* The threads of target's process, and whether the target is its last thread.
ThreadsOf(q) == {x \in Threads : proc[x] = q}
LastThread(u) == ThreadsOf(proc[u]) = {u}

\* What a deletion of threads D and address spaces Q removes.
CapGone(D, x, k) == x \in D \/ \E a \in capAnc[x][k] : a[1] \in D
PageGone(Q, x, k) == x \in Q \/ \E a \in mdb[x][k].anc : a[1] \in Q
\* Frames whose every mapping goes.
FramesFreed(Q) ==
    {f \in Frames : f \notin free /\ \A x \in Procs, k \in VPages : pt[x][k] = f => PageGone(Q, x, k)}

DeleteTable(D) == [x \in Threads |-> [k \in LocalIds |-> IF CapGone(D, x, k) THEN EmptyCap ELSE cspace[x][k]]]
DeleteAnc(D) == [x \in Threads |-> [k \in LocalIds |-> IF CapGone(D, x, k) THEN {} ELSE capAnc[x][k]]]
DeletePages(Q) == [x \in Procs |-> [k \in VPages |-> IF PageGone(Q, x, k) THEN NoFrame ELSE pt[x][k]]]
DeleteMdb(Q) == [x \in Procs |-> [k \in VPages |-> IF PageGone(Q, x, k) THEN NoMapping ELSE mdb[x][k]]]
DeleteData(Q) == [f \in Frames |-> IF f \in FramesFreed(Q) THEN NoData ELSE frameData[f]]
DeleteInbox(D) == [x \in Threads |-> IF x \in D THEN <<>> ELSE inbox[x]]
DeleteInFlight(D) == [a \in Threads |-> [b \in Threads |-> IF b \in D THEN 0 ELSE hInFlight[a][b]]]
DeleteTags(D) == [x \in Threads |-> IF x \in D THEN <<>> ELSE hTag[x]]
Park(D) == [x \in Threads |-> IF x \in D THEN TRUE ELSE waiting[x]]
DeleteProc(D) == [x \in Threads |-> IF x \in D THEN NoProc ELSE proc[x]]
BumpGen(D) == [x \in Threads |-> IF x \in D THEN gen[x] + 1 ELSE gen[x]]

\* DeleteThread removes the named thread, and its process's address space when
\* it was the last thread; DeleteProcess the named thread's whole process.
DeletedThreads(t, d) == {Target(t, d)}
FreedSpaces(t, d) == IF LastThread(Target(t, d)) THEN {proc[Target(t, d)]} ELSE {}
ProcessThreads(t, d) == ThreadsOf(proc[Target(t, d)])
ProcessSpace(t, d) == {proc[Target(t, d)]}

(* ---------------------------- checkpoints ------------------------------ *)
(* The checkpointer is a thread of the kernel's world, outside the kernel   *)
(* core, holding the capability to the log device.  It receives the        *)
(* frames of a checkpoint's snapshot by map, from the kernel itself: no     *)
(* sender thread, no capability, no message.  MapSnapshot(c, x, v, p)     *)
(* maps the frame of x's page v, a frame's root (its allocator mapping),   *)
(* into checkpointer c's free page p (the implementation's choice), recorded in the mapping database as  *)
(* derived from the root (as MapPage records a map), so an unmap or a      *)
(* deletion of the root takes it along.  UnmapSnapshot(c, v) is c's unmap  *)
(* of exactly such a mapping: derived, and a leaf (nothing derived from    *)
(* it), so it ends c's mapping alone, never a frame (the root stays) and   *)
(* never another thread's mapping.  Unmap(t, v) cannot: it keeps t's own   *)
(* mapping and removes what derives from it.                               *)
(*                                                                         *)
(* The checkpointer is trusted: it reads every frame, a confined thread's  *)
(* too.  It gains no capability (cspace is unchanged), so the authority   *)
(* invariants (AuthorityConnected, Confinement and their Live forms) are   *)
(* untouched; a page is not authority.                                     *)

IsCheckpointer(c) == c \in Checkpointers
CheckpointerLive(c) == proc[c] # NoProc
SnapshotRoot(x, v) == pt[x][v] # NoFrame /\ mdb[x][v].anc = {}
CheckpointerHasFreePage(c) == FreePages(c) # {}
\* c's page v is derived (it has ancestors, so it is mapped and no root) and nothing is derived from it.
SnapshotDerived(c, v) == mdb[Space(c)][v].anc # {}
SnapshotLeaf(c, v) == \A x \in Procs, k \in VPages : <<Space(c), v>> \notin mdb[x][k].anc

MapSnapshotTables(c, x, v, p) == [pt EXCEPT ![Space(c)][p] = pt[x][v]]
MapSnapshotMdb(c, x, v, p) == [mdb EXCEPT ![Space(c)][p] = [frame |-> pt[x][v], anc |-> {<<x, v>>}]]

PageItem(kind, p) == [kind |-> kind, slot |-> p]
CapItem(kind, s) == [kind |-> kind, slot |-> s]

(* ---------------------------- actions ---------------------------------- *)
(* A guard that reads the object a local id names (ObjectExists, HasRoom)  *)
(* comes after two guards that each fail on an empty slot (HoldsCap or     *)
(* CanSend, and CanGrant): an empty slot names no object, and without one  *)
(* of them the other still keeps the lookup inside its domain.             *)

\* The fast path: 6 words, no item.
Send(t, d, w) ==
    /\ Running(t)
    /\ HoldsCap(t, d)
    /\ CanSend(t, d)
    /\ ObjectExists(t, d)
    /\ HasRoom(t, d)
    /\ inbox' = Deliver(t, d, w, NoItem, gen[t])
    /\ waiting' = WakeReceiver(t, d)
    /\ hInFlight' = CountSent(t, d)
    /\ hTag' = TagSent(t, d)
    /\ UNCHANGED <<cspace, capAnc, pt, mdb, frameData, free, lifeVars>>

MapPage(t, d, w, v, p) ==
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ ObjectExists(t, d)
    /\ HasRoom(t, d)
    /\ PageMapped(t, v)
    /\ ReceiverHasFreePage(t, d)
    /\ PageAvailable(Target(t, d), p)
    /\ inbox' = Deliver(t, d, w, PageItem("mapPage", p), gen[t])
    /\ waiting' = WakeReceiver(t, d)
    /\ hInFlight' = CountSent(t, d)
    /\ hTag' = TagSent(t, d)
    /\ pt' = MapPageTables(t, d, v, p)
    /\ mdb' = MapPageMdb(t, d, v, p)
    /\ UNCHANGED <<cspace, capAnc, frameData, free, lifeVars>>

GrantPage(t, d, w, v, p) ==
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ ObjectExists(t, d)
    /\ HasRoom(t, d)
    /\ PageMapped(t, v)
    /\ ReceiverHasFreePage(t, d)
    /\ PageAvailable(Target(t, d), p)
    /\ inbox' = Deliver(t, d, w, PageItem("grantPage", p), gen[t])
    /\ waiting' = WakeReceiver(t, d)
    /\ hInFlight' = CountSent(t, d)
    /\ hTag' = TagSent(t, d)
    /\ pt' = GrantPageTables(t, d, v, p)
    /\ mdb' = GrantPageMdb(t, d, v, p)
    /\ UNCHANGED <<cspace, capAnc, frameData, free, lifeVars>>

\* The copy lands in the free frame f, the implementation's choice.
CopyPage(t, d, w, v, f, p) ==
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ ObjectExists(t, d)
    /\ HasRoom(t, d)
    /\ PageMapped(t, v)
    /\ ReceiverHasFreePage(t, d)
    /\ FrameAvailable(f)
    /\ PageAvailable(Target(t, d), p)
    /\ inbox' = Deliver(t, d, w, PageItem("copyPage", p), gen[t])
    /\ waiting' = WakeReceiver(t, d)
    /\ hInFlight' = CountSent(t, d)
    /\ hTag' = TagSent(t, d)
    /\ pt' = CopyPageTables(t, d, f, p)
    /\ mdb' = CopyPageMdb(t, d, f, p)
    /\ frameData' = CopyPageData(t, v, f)
    /\ free' = free \ {f}
    /\ UNCHANGED <<cspace, capAnc, lifeVars>>

\* The entry lands in the receiver's free slot s, the implementation's choice.
MapCap(t, d, w, l, m, s) ==
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ ObjectExists(t, d)
    /\ HasRoom(t, d)
    /\ HoldsCap(t, l)
    /\ RightsWithin(t, l, m)
    /\ ReceiverHasFreeSlot(t, d)
    /\ SlotAvailable(Target(t, d), s)
    /\ inbox' = Deliver(t, d, w, CapItem("mapCap", s), gen[t])
    /\ waiting' = WakeReceiver(t, d)
    /\ hInFlight' = CountSent(t, d)
    /\ hTag' = TagSent(t, d)
    /\ cspace' = MapCapTable(t, d, l, m, s)
    /\ capAnc' = MapCapAnc(t, d, l, s)
    /\ UNCHANGED <<pt, mdb, frameData, free, lifeVars>>

GrantCap(t, d, w, l, s) ==
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ ObjectExists(t, d)
    /\ HasRoom(t, d)
    /\ HoldsCap(t, l)
    /\ ReceiverHasFreeSlot(t, d)
    /\ SlotAvailable(Target(t, d), s)
    /\ inbox' = Deliver(t, d, w, CapItem("grantCap", s), gen[t])
    /\ waiting' = WakeReceiver(t, d)
    /\ hInFlight' = CountSent(t, d)
    /\ hTag' = TagSent(t, d)
    /\ cspace' = GrantCapTable(t, d, l, s)
    /\ capAnc' = GrantCapAnc(t, d, l, s)
    /\ UNCHANGED <<pt, mdb, frameData, free, lifeVars>>

CopyCap(t, d, w, l, m, s) ==
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ ObjectExists(t, d)
    /\ HasRoom(t, d)
    /\ HoldsCap(t, l)
    /\ RightsWithin(t, l, m)
    /\ ReceiverHasFreeSlot(t, d)
    /\ SlotAvailable(Target(t, d), s)
    /\ inbox' = Deliver(t, d, w, CapItem("copyCap", s), gen[t])
    /\ waiting' = WakeReceiver(t, d)
    /\ hInFlight' = CountSent(t, d)
    /\ hTag' = TagSent(t, d)
    /\ cspace' = CopyCapTable(t, d, l, m, s)
    /\ capAnc' = CopyCapAnc(t, d, s)
    /\ UNCHANGED <<pt, mdb, frameData, free, lifeVars>>

Receive(t) ==
    /\ Running(t)
    /\ InboxNonEmpty(t)
    /\ inbox' = Dequeue(t)
    /\ hInFlight' = CountReceived(t)
    /\ hTag' = UntagReceived(t)
    /\ UNCHANGED <<waiting, cspace, capAnc, pt, mdb, frameData, free, lifeVars>>

Wait(t) ==
    /\ Running(t)
    /\ InboxEmpty(t)
    /\ waiting' = StartWaiting(t)
    /\ UNCHANGED <<inbox, hInFlight, hTag, cspace, capAnc, pt, mdb, frameData, free, lifeVars>>

Unmap(t, v) ==
    /\ Running(t)
    /\ PageMapped(t, v)
    /\ pt' = UnmapTables(t, v)
    /\ mdb' = UnmapMdb(t, v)
    /\ UNCHANGED <<inbox, waiting, hInFlight, hTag, cspace, capAnc, frameData, free, lifeVars>>

Revoke(t, l) ==
    /\ Running(t)
    /\ HoldsCap(t, l)
    /\ cspace' = RevokeTable(t, l)
    /\ capAnc' = RevokeAnc(t, l)
    /\ UNCHANGED <<inbox, waiting, hInFlight, hTag, pt, mdb, frameData, free, lifeVars>>

\* t creates thread u, from a free thread object, in t's own process; its
\* capability lands in t's free slot s (the implementation's choice).
CreateThread(t, u, s) ==
    /\ Running(t)
    /\ FreeThread(u)
    /\ CallerHasFreeSlot(t)
    /\ SlotAvailable(t, s)
    /\ cspace' = CreateTable(t, u, s)
    /\ proc' = [proc EXCEPT ![u] = proc[t]]
    /\ waiting' = [waiting EXCEPT ![u] = FALSE]
    /\ hCreated' = hCreated \cup {<<t, u>>}
    /\ hConfined' = IF t \in hConfined THEN hConfined \cup {u} ELSE hConfined
    /\ UNCHANGED <<capAnc, pt, mdb, frameData, free, inbox, hInFlight, hTag, gen>>

\* t creates thread u in a new process q (an empty address space).
CreateProcess(t, u, q, s) ==
    /\ Running(t)
    /\ FreeThread(u)
    /\ FreeProcess(q)
    /\ CallerHasFreeSlot(t)
    /\ SlotAvailable(t, s)
    /\ cspace' = CreateTable(t, u, s)
    /\ proc' = [proc EXCEPT ![u] = q]
    /\ waiting' = [waiting EXCEPT ![u] = FALSE]
    /\ hCreated' = hCreated \cup {<<t, u>>}
    /\ hConfined' = IF t \in hConfined THEN hConfined \cup {u} ELSE hConfined
    /\ UNCHANGED <<capAnc, pt, mdb, frameData, free, inbox, hInFlight, hTag, gen>>

\* t deletes the thread its local id d names; its process goes with it when
\* it was the process's last thread.  t may name itself.
DeleteThread(t, d) ==
    /\ Running(t)
    /\ HoldsCap(t, d)
    /\ CanDelete(t, d)
    /\ ObjectExists(t, d)
    /\ GenerationLeft(t, d)
    /\ cspace' = DeleteTable(DeletedThreads(t, d))
    /\ capAnc' = DeleteAnc(DeletedThreads(t, d))
    /\ pt' = DeletePages(FreedSpaces(t, d))
    /\ mdb' = DeleteMdb(FreedSpaces(t, d))
    /\ frameData' = DeleteData(FreedSpaces(t, d))
    /\ free' = free \cup FramesFreed(FreedSpaces(t, d))
    /\ inbox' = DeleteInbox(DeletedThreads(t, d))
    /\ waiting' = Park(DeletedThreads(t, d))
    /\ hInFlight' = DeleteInFlight(DeletedThreads(t, d))
    /\ hTag' = DeleteTags(DeletedThreads(t, d))
    /\ proc' = DeleteProc(DeletedThreads(t, d))
    /\ gen' = BumpGen(DeletedThreads(t, d))
    /\ hConfined' = hConfined \ DeletedThreads(t, d)
    /\ UNCHANGED hCreated

\* t deletes the process of the thread its local id d names: every thread of
\* it and its address space.
DeleteProcess(t, d) ==
    /\ Running(t)
    /\ HoldsCap(t, d)
    /\ CanDelete(t, d)
    /\ ObjectExists(t, d)
    /\ ProcessGenerationsLeft(t, d)
    /\ cspace' = DeleteTable(ProcessThreads(t, d))
    /\ capAnc' = DeleteAnc(ProcessThreads(t, d))
    /\ pt' = DeletePages(ProcessSpace(t, d))
    /\ mdb' = DeleteMdb(ProcessSpace(t, d))
    /\ frameData' = DeleteData(ProcessSpace(t, d))
    /\ free' = free \cup FramesFreed(ProcessSpace(t, d))
    /\ inbox' = DeleteInbox(ProcessThreads(t, d))
    /\ waiting' = Park(ProcessThreads(t, d))
    /\ hInFlight' = DeleteInFlight(ProcessThreads(t, d))
    /\ hTag' = DeleteTags(ProcessThreads(t, d))
    /\ proc' = DeleteProc(ProcessThreads(t, d))
    /\ gen' = BumpGen(ProcessThreads(t, d))
    /\ hConfined' = hConfined \ ProcessThreads(t, d)
    /\ UNCHANGED hCreated

\* The kernel maps the frame of x's root mapping at v into checkpointer c's
\* free page p, the implementation's choice (a snapshot's frame, zero copy).
MapSnapshot(c, x, v, p) ==
    /\ IsCheckpointer(c)
    /\ CheckpointerLive(c)
    /\ SnapshotRoot(x, v)
    /\ CheckpointerHasFreePage(c)
    /\ PageAvailable(c, p)
    /\ pt' = MapSnapshotTables(c, x, v, p)
    /\ mdb' = MapSnapshotMdb(c, x, v, p)
    /\ UNCHANGED <<inbox, waiting, hInFlight, hTag, cspace, capAnc, frameData, free, lifeVars>>

\* Checkpointer c drops its mapping at v of a snapshot's frame, and only it.
UnmapSnapshot(c, v) ==
    /\ IsCheckpointer(c)
    /\ CheckpointerLive(c)
    /\ SnapshotDerived(c, v)
    /\ SnapshotLeaf(c, v)
    /\ pt' = [pt EXCEPT ![Space(c)][v] = NoFrame]
    /\ mdb' = [mdb EXCEPT ![Space(c)][v] = NoMapping]
    /\ UNCHANGED <<inbox, waiting, hInFlight, hTag, cspace, capAnc, frameData, free, lifeVars>>

Next ==
    \/ \E t \in Threads, d \in LocalIds, w \in Payloads : Send(t, d, w)
    \/ \E t \in Threads, d \in LocalIds, w \in Payloads, v, p \in VPages :
          MapPage(t, d, w, v, p) \/ GrantPage(t, d, w, v, p)
    \/ \E t \in Threads, d \in LocalIds, w \in Payloads, v, p \in VPages, f \in Frames : CopyPage(t, d, w, v, f, p)
    \/ \E t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds, m \in SUBSET Rights, s \in LocalIds :
          MapCap(t, d, w, l, m, s) \/ CopyCap(t, d, w, l, m, s)
    \/ \E t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds, s \in LocalIds : GrantCap(t, d, w, l, s)
    \/ \E t \in Threads : Receive(t) \/ Wait(t)
    \/ \E t \in Threads, v \in VPages : Unmap(t, v)
    \/ \E t \in Threads, l \in LocalIds : Revoke(t, l)
    \/ \E t, u \in Threads, s \in LocalIds : CreateThread(t, u, s)
    \/ \E t, u \in Threads, q \in Procs, s \in LocalIds : CreateProcess(t, u, q, s)
    \/ \E t \in Threads, d \in LocalIds : DeleteThread(t, d) \/ DeleteProcess(t, d)
    \/ \E c \in Threads, x \in Procs, v, p \in VPages : MapSnapshot(c, x, v, p)
    \/ \E c \in Threads, v \in VPages : UnmapSnapshot(c, v)

Spec == Init /\ [][Next]_vars

(* ---------------------------- invariants ------------------------------- *)
(* Defined in the modules they speak about; collected here for the cfg.    *)

\* A free thread object is parked and holds nothing.
FreeThreadsParked ==
    \A u \in Threads : FreeThread(u) =>
        /\ waiting[u]
        /\ inbox[u] = <<>>
        /\ \A l \in LocalIds : cspace[u][l] = EmptyCap

\* No capability names a dead object or a reused one: a capability of its
\* object's current generation names a live thread, and none is newer.
NoCapToDeadObject ==
    \A x \in Threads, k \in LocalIds :
        HoldsCap(x, k) =>
            /\ cspace[x][k].gen <= gen[cspace[x][k].obj]
            /\ cspace[x][k].gen = gen[cspace[x][k].obj] => Live(cspace[x][k].obj)

\* No message is taken for one of a later thread in its sender's object: a
\* queued message carries a generation of its sender no newer than the
\* current one, and the current one only while that thread lives.  Once the
\* sender is deleted (and its object maybe reused) the message names a dead
\* generation, so the kernel reports no live thread as its sender.
NoMsgFromReusedObject ==
    \A b \in Threads : \A i \in 1..Len(inbox[b]) :
        /\ inbox[b][i].gen <= gen[inbox[b][i].from]
        /\ inbox[b][i].gen = gen[inbox[b][i].from] => Live(inbox[b][i].from)

\* A process with no thread has no address space left.
EmptyProcessHasNoPages ==
    \A q \in Procs : FreeProcess(q) => \A v \in VPages : pt[q][v] = NoFrame

\* Frames come back: a frame the allocator handed out is still mapped somewhere.
NoFrameLeaked ==
    \A f \in Frames : f \notin free => \E x \in Procs, v \in VPages : pt[x][v] = f

\* AuthorityConnected across creation and deletion: a capability of the
\* current generation connects its holder to its object in the boot graph
\* plus the creation edges.
CurrentCap(x, k) == HoldsCap(x, k) /\ cspace[x][k].gen = gen[cspace[x][k].obj]
Edge(a, b) == InitEdge(a, b) \/ <<a, b>> \in hCreated \/ <<b, a>> \in hCreated
Connected(a, b) ==
    \E path \in [1..PathLen -> Threads] :
        /\ path[1] = a
        /\ path[PathLen] = b
        /\ \A i \in 1..(PathLen - 1) : path[i] = path[i + 1] \/ Edge(path[i], path[i + 1])
AuthorityConnectedLive ==
    \A x \in Threads, k \in LocalIds : CurrentCap(x, k) => Connected(x, cspace[x][k].obj)

\* RightsNeverAmplified across creation: a created thread's creator receives
\* every right; any other right to an object is one a boot entry had.
RightsNeverAmplifiedLive ==
    \A x \in Threads, k \in LocalIds :
        /\ \A a \in capAnc[x][k] : cspace[x][k].rights \subseteq cspace[a[1]][a[2]].rights
        /\ HoldsCap(x, k) =>
              \/ cspace[x][k].rights \subseteq BootRights(cspace[x][k].obj)
              \/ \E z \in Threads : <<z, cspace[x][k].obj>> \in hCreated

\* Confinement across creation and deletion: the confined group (Confined
\* and the threads its members created) never gains a current capability
\* leading out of it.
ConfinementLive ==
    \A x \in hConfined, k \in LocalIds : CurrentCap(x, k) => cspace[x][k].obj \in hConfined

KernelInvariants ==
    /\ TypeOK
    /\ MdbForest /\ MdbMatchesPageTables
    /\ NoLossNoDup /\ FifoPerPair /\ VectorsBounded /\ NoLostWakeup
    /\ CapTreeWellFormed /\ RightsNeverAmplified /\ AuthorityConnected /\ Confinement
    /\ FreeThreadsParked /\ NoCapToDeadObject /\ EmptyProcessHasNoPages /\ NoFrameLeaked
    /\ NoMsgFromReusedObject

\* The same for models with lifecycle: AuthorityConnected and Confinement
\* over the capabilities of current generations.
LifecycleInvariants ==
    /\ TypeOK
    /\ MdbForest /\ MdbMatchesPageTables
    /\ NoLossNoDup /\ FifoPerPair /\ VectorsBounded /\ NoLostWakeup
    /\ CapTreeWellFormed /\ RightsNeverAmplifiedLive /\ AuthorityConnectedLive /\ ConfinementLive
    /\ FreeThreadsParked /\ NoCapToDeadObject /\ EmptyProcessHasNoPages /\ NoFrameLeaked
    /\ NoMsgFromReusedObject

THEOREM Spec => []KernelInvariants
=============================================================================
