----------------------------- MODULE KernelImpl -----------------------------
(***************************************************************************)
(* The kernel at the implementation level: the same operations as          *)
(* Kernel.tla over the data structures the running kernel keeps.  Kernel   *)
(* states the semantics with ancestor sets and whole-table rewrites; here  *)
(* every operation touches O(1) entries, except revoke, unmap and delete, *)
(* which touch O(descendants):                                             *)
(*                                                                         *)
(*   derivation trees  the capability derivation tree (seL4's CDT) and the *)
(*                     mapping database (L4) as doubly linked lists in     *)
(*                     preorder with depths, one list per tree, its root   *)
(*                     first (capNext/capPrev/capDepth, mdbNext/...).  A   *)
(*                     map inserts the child right after its parent, a     *)
(*                     grant puts the receiver's node in the sender's      *)
(*                     place, a copy starts a list of its own.  The        *)
(*                     descendants of a node are the run after it that is  *)
(*                     deeper than it.                                     *)
(*   revoke, unmap     a kernel continuation, as seL4's preemptible        *)
(*                     cteRevoke: Revoke records the node (capWalk); each  *)
(*                     RevokeStep removes the next descendant; RevokeDone  *)
(*                     ends the walk.  Every other action waits for the    *)
(*                     walk (Idle: the kernel lock), so the kernel runs    *)
(*                     the steps to completion before it returns.          *)
(*   message vectors   ring buffers: msgBuf, msgHead, msgCount.            *)
(*   free entries      free slots, free pages and free frames as bitmaps   *)
(*                     (freeSlots, freePages, free) and on free lists      *)
(*                     (freeSlotHead/..., freePageHead/...,                *)
(*                     freeFrameHead/...): an entry lands in the head of   *)
(*                     the receiver's list of slots, a page item in the    *)
(*                     head of the receiver's list of pages (or, when it   *)
(*                     is empty, its mark: the pages from freePageMark up  *)
(*                     were never used since the address space was last    *)
(*                     emptied), a copy in the head of the frames',        *)
(*                     choices Kernel leaves to the implementation: none   *)
(*                     is looked for.                                      *)
(*                                                                         *)
(*   processes         the threads of a process share its address space:  *)
(*                     pt, the mapping lists and the free pages are       *)
(*                     per process (proc[t]); a free thread object is one  *)
(*                     with no process, a free process object one in the   *)
(*                     bitmap freeProcs; both are also on free lists       *)
(*                     (freeThrHead/freeThrNext, freeProcHead/...), as in  *)
(*                     seL4 and L4, and creation takes the head: O(1).     *)
(*                     procGenSpent answers "may every thread of this      *)
(*                     process still be deleted" in O(1).  Messages carry  *)
(*                     their sender's generation.  Capabilities carry their object's       *)
(*                     generation (gen), so a capability to a deleted      *)
(*                     object refuses (ObjectExists) without a walk.       *)
(*   deletion          a walk like revoke's: DeleteThread / DeleteProcess  *)
(*                     record the thread (delThread) and the address space *)
(*                     that goes with it (delSpace); for each used slot of *)
(*                     the thread, DeleteCapStep starts a revoke walk of   *)
(*                     it and DeleteCapDone unlinks it once its            *)
(*                     descendants are gone; DeleteThreadDone parks the    *)
(*                     thread and moves on to the next thread of the       *)
(*                     process (a per-process list, thrNext/thrPrev); then *)
(*                     for each mapped page of the address space           *)
(*                     DeletePageStep and DeletePageDone do the same, a    *)
(*                     root's frame going back to the allocator, and       *)
(*                     DeleteSpaceDone frees the process object, its list  *)
(*                     of pages emptied and its mark set to the first page *)
(*                     (O(1)), so its next process fills from page 1 up.   *)
(*                                                                         *)
(* A node of a capability list is named by <<thread, slot>>, a node of a  *)
(* mapping list by <<process, page>>; Nil ends a list.  The               *)
(* refinement mapping (the Abs operators at the end) rebuilds Kernel's     *)
(* variables; MCKernelImpl checks that every behaviour of this spec is one *)
(* of Kernel's.                                                            *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets

CONSTANTS
    Threads,     \* the threads, model values
    LocalIds,    \* the slots of every capability table, 1..K
    NoObj,       \* model value: the object of an empty slot
    InitCSpace,  \* boot tables, [Threads -> [LocalIds -> Cap]]
    VPages,      \* the virtual pages of every address space, 1..P
    Frames,      \* the physical frames, 1..F
    Procs,       \* the process objects (address spaces), model values
    InitProc,    \* InitProc[t]: thread t's process at boot, NoObj for a free thread object
    InitThrNext, \* InitThrNext[t]: the next thread of t's process at boot (the process's list), NoObj at the end;
                 \* for a free thread object, the next free one (the boot's free list)
    InitFreeProcNext, \* InitFreeProcNext[q]: the next free process object at boot (the free list), NoObj at the end
    InitFreeSlotHead, \* InitFreeSlotHead[t]: the first slot of t's boot free list of slots, NoSlot when none is free
    InitFreeSlotNext, \* InitFreeSlotNext[t][l]: the next free slot of t's at boot (the free list), NoSlot at the end
    InitFreePageHead, \* InitFreePageHead[x]: the first page of address space x's boot free list of pages, NoPage when none
    InitFreePageNext, \* InitFreePageNext[x][v]: the next free page of x's at boot (the free list), NoPage at the end
    InitFreeFrameHead, \* the first frame of the boot's free list of frames, NoFrame when none is free
    InitFreeFrameNext, \* InitFreeFrameNext[f]: the next free frame at boot (the free list), NoFrame at the end
    InitPages,   \* boot page tables, [Procs -> [VPages -> Frames \cup {NoFrame}]]; each frame at most once
    MaxGen,      \* a thread object is deleted at most MaxGen times
    Checkpointers, \* the checkpointer's thread object ({} when the system has none), as in Kernel.tla
    Payloads,    \* the 6-word payloads the model sends
    MaxMsgs,     \* capacity of every message vector
    MaxSlot      \* largest slot an item can name (local id or virtual page)

VARIABLES
    cspace,     \* cspace[t][l]: t's capability in slot l (EmptyCap when free)
    capNext,    \* capNext[t][l]: the next node of the slot's derivation list in preorder, Nil at the end
    capPrev,    \* capPrev[t][l]: the previous node, Nil for a root
    capDepth,   \* capDepth[t][l]: depth in its derivation tree, 0 for a root
    freeSlots,  \* freeSlots[t]: the free slots of t's table
    freeSlotHead, \* freeSlotHead[t]: the free slot of t's an entry lands in next (head of t's free list), NoSlot when none
    freeSlotNext, \* freeSlotNext[t][l]: the free slot after l on t's free list, NoSlot at the end
    pt,         \* pt[t][v]: frame mapped at t's virtual page v, NoFrame if none
    mdbNext,    \* mdbNext[t][v]: the next mapping of the page's mapping-database list, Nil at the end
    mdbPrev,    \* mdbPrev[t][v]: the previous mapping, Nil for a root (the allocator's mapping)
    mdbDepth,   \* mdbDepth[t][v]: depth in its frame's mapping tree
    freePages,  \* freePages[x]: the unmapped virtual pages of address space x
    freePageHead, \* freePageHead[x]: the free page of x's a page item lands in next (head of x's free list), NoPage when none
    freePageNext, \* freePageNext[x][v]: the free page after v on x's free list, NoPage at the end
    freePageMark, \* freePageMark[x]: every page of x from it up is free and off x's list (never used since x was emptied), NoPage when none
    frameData,  \* frameData[f]: contents of frame f (NoData for a frame never handed out)
    free,       \* frames the allocator has not handed out yet
    msgBuf,     \* msgBuf[t][i]: slot i of t's message ring (EmptyMsg when unused)
    msgHead,    \* msgHead[t]: the ring index (0-based) of t's oldest message
    msgCount,   \* msgCount[t]: how many messages t's ring holds
    waiting,    \* waiting[t]: t is blocked in Wait until a message arrives
    capWalk,    \* the node whose descendants a revoke is removing, Nil when none
    pageWalk,   \* the mapping whose descendants an unmap is removing, Nil when none
    proc,       \* proc[t]: thread t's process, NoObj for a free thread object
    gen,        \* gen[t]: the generation of thread object t (how often it was deleted)
    freeProcs,  \* the process objects no thread belongs to
    thrNext,    \* thrNext[t]: the next thread of t's process (its list of threads), NoObj at the end
    thrPrev,    \* thrPrev[t]: the previous thread of t's process, NoObj at the start
    delThread,  \* the thread a deletion is emptying, NoObj when none
    delSpace,   \* the address space a deletion removes (with all its threads), NoObj when none
    freeThrHead,  \* the free thread object creation takes next (head of the free list), NoObj when none
    freeThrNext,  \* freeThrNext[t]: the free thread object after t on the free list, NoObj at the end
    freeProcHead, \* the free process object CreateProcess takes next, NoObj when none
    freeProcNext, \* freeProcNext[q]: the free process object after q on the free list, NoObj at the end
    procGenSpent, \* procGenSpent[q]: some thread of process q has used its last generation (MaxGen)
    freeFrameHead, \* the free frame a copy takes next (head of the free list), NoFrame when none
    freeFrameNext, \* freeFrameNext[f]: the free frame after f on the free list, NoFrame at the end
    hCreated    \* ghost: <<creator, created>> for every thread created (Kernel's hCreated)

\* The free slots, as a bitmap and as per-thread free lists.
slotVars == <<freeSlots, freeSlotHead, freeSlotNext>>
\* The free pages, as a bitmap and as per-address-space free lists.
pageVars == <<freePages, freePageHead, freePageNext, freePageMark>>
freeVars == <<freeThrHead, freeThrNext, freeProcHead, freeProcNext, procGenSpent, freeFrameHead, freeFrameNext>>
lifeVars == <<proc, gen, freeProcs, thrNext, thrPrev, delThread, delSpace, freeVars, hCreated>>
vars == <<cspace, capNext, capPrev, capDepth, freeSlots, freeSlotHead, freeSlotNext, pt, mdbNext, mdbPrev,
          mdbDepth, freePages, freePageHead, freePageNext, freePageMark,
          frameData, free, msgBuf, msgHead, msgCount, waiting, capWalk, pageWalk, proc, gen, freeProcs,
          thrNext, thrPrev, delThread, delSpace, freeThrHead, freeThrNext, freeProcHead, freeProcNext,
          procGenSpent, freeFrameHead, freeFrameNext, hCreated>>

Rights == {"send", "grant"}
Cap == [obj: Threads \cup {NoObj}, rights: SUBSET Rights, gen: Nat]
EmptyCap == [obj |-> NoObj, rights |-> {}, gen |-> 0]
NoFrame == 0
NoSlot == 0
NoPage == 0
NoData == 0
\* A node: <<thread, slot>> (a local id or a virtual page); Nil ends a list.
Node == (Threads \cup {NoObj}) \X (0..MaxSlot)
PNode == (Procs \cup {NoObj}) \X (0..MaxSlot)
Nil == <<NoObj, 0>>
ItemKinds == {"none", "mapPage", "grantPage", "copyPage", "mapCap", "grantCap", "copyCap"}
Item == [kind: ItemKinds, slot: 0..MaxSlot]
NoItem == [kind |-> "none", slot |-> 0]
RingMsg == [from: Threads \cup {NoObj}, gen: 0..MaxGen, words: [1..6 -> Int], item: Item]
EmptyMsg == [from |-> NoObj, gen |-> 0, words |-> <<0, 0, 0, 0, 0, 0>>, item |-> NoItem]

ASSUME InitCSpace \in [Threads -> [LocalIds -> Cap]]
ASSUME InitProc \in [Threads -> Procs \cup {NoObj}]
\* (That the boot lists hold exactly each process's threads is ThreadListsWellFormed in the initial state.)
ASSUME InitThrNext \in [Threads -> Threads \cup {NoObj}]
ASSUME InitFreeProcNext \in [Procs -> Procs \cup {NoObj}]
\* (That the boot's lists of slots hold exactly the free ones is FreeSlotListExact in the initial state.)
ASSUME InitFreeSlotHead \in [Threads -> LocalIds \cup {0}]
ASSUME InitFreeSlotNext \in [Threads -> [LocalIds -> LocalIds \cup {0}]]
\* (That the boot's lists of pages hold exactly the free ones is FreePageListExact in the initial state.)
ASSUME InitFreePageHead \in [Procs -> VPages \cup {0}]
ASSUME InitFreePageNext \in [Procs -> [VPages -> VPages \cup {0}]]
\* (That the boot's list of frames holds exactly the free ones is FreeFrameListExact in the initial state.)
ASSUME InitFreeFrameHead \in Frames \cup {0}
ASSUME InitFreeFrameNext \in [Frames -> Frames \cup {0}]
ASSUME InitPages \in [Procs -> [VPages -> Frames \cup {NoFrame}]]
ASSUME MaxGen \in Nat
ASSUME Checkpointers \subseteq Threads
ASSUME Payloads \subseteq [1..6 -> Nat]
ASSUME MaxMsgs \in Nat \ {0}
ASSUME MaxSlot \in Nat

BootFrames == {InitPages[x][v] : x \in Procs, v \in VPages} \ {NoFrame}

TypeOK ==
    /\ cspace \in [Threads -> [LocalIds -> Cap]]
    /\ capNext \in [Threads -> [LocalIds -> Node]]
    /\ capPrev \in [Threads -> [LocalIds -> Node]]
    /\ capDepth \in [Threads -> [LocalIds -> Nat]]
    /\ freeSlots \in [Threads -> SUBSET LocalIds]
    /\ freeSlotHead \in [Threads -> LocalIds \cup {NoSlot}]
    /\ freeSlotNext \in [Threads -> [LocalIds -> LocalIds \cup {NoSlot}]]
    /\ pt \in [Procs -> [VPages -> Frames \cup {NoFrame}]]
    /\ mdbNext \in [Procs -> [VPages -> PNode]]
    /\ mdbPrev \in [Procs -> [VPages -> PNode]]
    /\ mdbDepth \in [Procs -> [VPages -> Nat]]
    /\ freePages \in [Procs -> SUBSET VPages]
    /\ freePageHead \in [Procs -> VPages \cup {NoPage}]
    /\ freePageNext \in [Procs -> [VPages -> VPages \cup {NoPage}]]
    /\ freePageMark \in [Procs -> VPages \cup {NoPage}]
    /\ frameData \in [Frames -> Frames \cup {NoData}]
    /\ free \in SUBSET Frames
    /\ msgBuf \in [Threads -> [1..MaxMsgs -> RingMsg]]
    /\ msgHead \in [Threads -> 0..(MaxMsgs - 1)]
    /\ msgCount \in [Threads -> 0..MaxMsgs]
    /\ waiting \in [Threads -> BOOLEAN]
    /\ capWalk \in Node
    /\ pageWalk \in PNode
    /\ proc \in [Threads -> Procs \cup {NoObj}]
    /\ gen \in [Threads -> 0..MaxGen]
    /\ freeProcs \in SUBSET Procs
    /\ thrNext \in [Threads -> Threads \cup {NoObj}]
    /\ thrPrev \in [Threads -> Threads \cup {NoObj}]
    /\ delThread \in Threads \cup {NoObj}
    /\ delSpace \in Procs \cup {NoObj}
    /\ freeThrHead \in Threads \cup {NoObj}
    /\ freeThrNext \in [Threads -> Threads \cup {NoObj}]
    /\ freeProcHead \in Procs \cup {NoObj}
    /\ freeProcNext \in [Procs -> Procs \cup {NoObj}]
    /\ procGenSpent \in [Procs -> BOOLEAN]
    /\ freeFrameHead \in Frames \cup {NoFrame}
    /\ freeFrameNext \in [Frames -> Frames \cup {NoFrame}]
    /\ hCreated \in SUBSET (Threads \X Threads)

\* The boot's lists: a live thread's InitThrNext is the next thread of its
\* process, a free thread object's the next free one; a list's head is the
\* one no other entry of its kind names.
BootFreeThread(t) == InitProc[t] = NoObj
BootFreeProc(q) == \A t \in Threads : InitProc[t] # q
BootFreeThrHead(t) == BootFreeThread(t) /\ \A x \in Threads : InitThrNext[x] # t
BootFreeProcHead(q) == BootFreeProc(q) /\ \A x \in Procs : InitFreeProcNext[x] # q

Init ==
    /\ cspace = InitCSpace
    /\ capNext = [t \in Threads |-> [l \in LocalIds |-> Nil]]
    /\ capPrev = [t \in Threads |-> [l \in LocalIds |-> Nil]]
    /\ capDepth = [t \in Threads |-> [l \in LocalIds |-> 0]]
    /\ freeSlots = [t \in Threads |-> {l \in LocalIds : InitCSpace[t][l].obj = NoObj}]
    /\ freeSlotHead = InitFreeSlotHead
    /\ freeSlotNext = InitFreeSlotNext
    /\ pt = InitPages
    /\ mdbNext = [x \in Procs |-> [v \in VPages |-> Nil]]
    /\ mdbPrev = [x \in Procs |-> [v \in VPages |-> Nil]]
    /\ mdbDepth = [x \in Procs |-> [v \in VPages |-> 0]]
    /\ freePages = [x \in Procs |-> {v \in VPages : InitPages[x][v] = NoFrame}]
    /\ freePageHead = InitFreePageHead
    /\ freePageNext = InitFreePageNext
    /\ freePageMark = [x \in Procs |-> NoPage]
    /\ frameData = [f \in Frames |-> IF f \in BootFrames THEN f ELSE NoData]
    /\ free = Frames \ BootFrames
    /\ msgBuf = [t \in Threads |-> [i \in 1..MaxMsgs |-> EmptyMsg]]
    /\ msgHead = [t \in Threads |-> 0]
    /\ msgCount = [t \in Threads |-> 0]
    /\ waiting = [t \in Threads |-> InitProc[t] = NoObj]
    /\ capWalk = Nil
    /\ pageWalk = Nil
    /\ proc = InitProc
    /\ gen = [t \in Threads |-> 0]
    /\ freeProcs = {x \in Procs : \A t \in Threads : InitProc[t] # x}
    /\ thrNext = [t \in Threads |-> IF BootFreeThread(t) THEN NoObj ELSE InitThrNext[t]]
    /\ thrPrev = [t \in Threads |->
                    IF ~BootFreeThread(t) /\ \E x \in Threads : InitThrNext[x] = t
                    THEN CHOOSE x \in Threads : InitThrNext[x] = t ELSE NoObj]
    /\ delThread = NoObj
    /\ delSpace = NoObj
    /\ freeThrHead = IF \E t \in Threads : BootFreeThrHead(t) THEN CHOOSE t \in Threads : BootFreeThrHead(t) ELSE NoObj
    /\ freeThrNext = [t \in Threads |-> IF BootFreeThread(t) THEN InitThrNext[t] ELSE NoObj]
    /\ freeProcHead = IF \E q \in Procs : BootFreeProcHead(q) THEN CHOOSE q \in Procs : BootFreeProcHead(q) ELSE NoObj
    /\ freeProcNext = [q \in Procs |-> IF BootFreeProc(q) THEN InitFreeProcNext[q] ELSE NoObj]
    /\ procGenSpent = [q \in Procs |-> MaxGen = 0 /\ ~BootFreeProc(q)]
    /\ freeFrameHead = InitFreeFrameHead
    /\ freeFrameNext = InitFreeFrameNext
    /\ hCreated = {}

\* The boot's free list of frames the models pass as InitFreeFrameHead and
\* InitFreeFrameNext: the free frames in increasing order.  (For the models:
\* the kernel builds the same list in one pass over the frames.)
BootFreeFrame(f) == f \in Frames \ BootFrames
BootFreeFrameAbove(f) ==
    IF \E g \in Frames : BootFreeFrame(g) /\ g > f
    THEN CHOOSE g \in Frames : BootFreeFrame(g) /\ g > f /\ \A h \in Frames : BootFreeFrame(h) /\ h > f => g <= h
    ELSE 0
AscendingFreeFrameHead == BootFreeFrameAbove(0)
AscendingFreeFrameNext == [f \in Frames |-> IF BootFreeFrame(f) THEN BootFreeFrameAbove(f) ELSE 0]

\* The same for each thread's free slots (InitFreeSlotHead, InitFreeSlotNext):
\* the boot's free slots in increasing order, as the kernel builds them.
BootFreeSlot(t, l) == InitCSpace[t][l].obj = NoObj
BootFreeSlotAbove(t, l) ==
    IF \E k \in LocalIds : BootFreeSlot(t, k) /\ k > l
    THEN CHOOSE k \in LocalIds : BootFreeSlot(t, k) /\ k > l /\ \A j \in LocalIds : BootFreeSlot(t, j) /\ j > l => k <= j
    ELSE 0
AscendingFreeSlotHead == [t \in Threads |-> BootFreeSlotAbove(t, 0)]
AscendingFreeSlotNext == [t \in Threads |-> [l \in LocalIds |-> IF BootFreeSlot(t, l) THEN BootFreeSlotAbove(t, l) ELSE 0]]

\* The same for each address space's free pages (InitFreePageHead, InitFreePageNext).
BootFreePage(x, v) == InitPages[x][v] = NoFrame
BootFreePageAbove(x, v) ==
    IF \E k \in VPages : BootFreePage(x, k) /\ k > v
    THEN CHOOSE k \in VPages : BootFreePage(x, k) /\ k > v /\ \A j \in VPages : BootFreePage(x, j) /\ j > v => k <= j
    ELSE 0
AscendingFreePageHead == [x \in Procs |-> BootFreePageAbove(x, 0)]
AscendingFreePageNext == [x \in Procs |-> [v \in VPages |-> IF BootFreePage(x, v) THEN BootFreePageAbove(x, v) ELSE 0]]

(* ---------------------------- lookups ---------------------------------- *)

Target(t, d) == cspace[t][d].obj
\* The lowest used slot of t's table, the lowest mapped page of address space x.
FirstUsedSlot(t) == CHOOSE l \in LocalIds \ freeSlots[t] : TRUE
FirstMappedPage(x) == CHOOSE v \in VPages \ freePages[x] : TRUE
\* The ring index (1-based) of t's i-th message, counting from 0 at the oldest.
RingSlot(t, i) == ((msgHead[t] + i) % MaxMsgs) + 1

(* ---------------------------- guards ----------------------------------- *)

\* The kernel lock: no revoke, unmap or delete walk is under way.
Idle == capWalk = Nil /\ pageWalk = Nil /\ delThread = NoObj /\ delSpace = NoObj
Running(t) == ~waiting[t]
CanSend(t, d) == "send" \in cspace[t][d].rights
CanGrant(t, d) == "grant" \in cspace[t][d].rights
HasRoom(t, d) == msgCount[Target(t, d)] < MaxMsgs
HoldsCap(t, l) == cspace[t][l].obj # NoObj
RightsWithin(t, l, m) == m # {} /\ m \subseteq cspace[t][l].rights
\* A table has a free slot when its free list is not empty: O(1).
ReceiverHasFreeSlot(t, d) == freeSlotHead[Target(t, d)] # NoSlot
\* s is the slot of r's an entry lands in: the head of r's free list, so the
\* kernel never looks for one (ReceiverHasFreeSlot or CallerHasFreeSlot
\* comes first: the list is not empty).
SlotAvailable(r, s) == s = freeSlotHead[r]
PageMapped(t, v) == pt[proc[t]][v] # NoFrame
\* The free page of address space x a page item (or a snapshot mapping)
\* lands in next: the head of x's free list, or, when the list is empty, its
\* mark (the lowest of the pages never used since x was last emptied), so a
\* new process fills its window from the first page up: O(1).
NextFreePage(x) == IF freePageHead[x] # NoPage THEN freePageHead[x] ELSE freePageMark[x]
\* An address space has a free page when its list or its mark has one: O(1).
ReceiverHasFreePage(t, d) == NextFreePage(proc[Target(t, d)]) # NoPage
\* p is the page of thread r's address space a page item (or a snapshot
\* mapping) lands in: NextFreePage, so the kernel never looks for one
\* (ReceiverHasFreePage or CheckpointerHasFreePage comes first).
PageAvailable(r, p) == p = NextFreePage(proc[r])
ObjectExists(t, d) == cspace[t][d].gen = gen[Target(t, d)]
\* u (q) is the free thread (process) object creation takes: the head of the
\* free list, so the kernel never looks for one.
FreeThread(u) == u = freeThrHead
FreeProcess(q) == q = freeProcHead
CallerHasFreeSlot(t) == freeSlotHead[t] # NoSlot
\* f is the frame a copy takes: the head of the free list, so the kernel
\* never looks for one (NoFrame when the list is empty).
FrameAvailable(f) == f # NoFrame /\ f = freeFrameHead
InboxNonEmpty(t) == msgCount[t] > 0
InboxEmpty(t) == msgCount[t] = 0
CapWalking == capWalk # Nil
PageWalking == pageWalk # Nil
\* Deleting needs every right on the capability (the creator receives them all).
CanDelete(t, d) == Rights \subseteq cspace[t][d].rights
GenerationLeft(t, d) == gen[Target(t, d)] < MaxGen
\* Every thread of the target's process may still be deleted (MaxGen bounds the
\* models): Kernel's quantifier over the threads, kept per process.
ProcessGenerationsLeft(t, d) == ~procGenSpent[proc[Target(t, d)]]
\* u is the only thread of its process: alone in its process's list.
LastThread(u) == thrNext[u] = NoObj /\ thrPrev[u] = NoObj
\* A deletion is under way: emptying a thread's table, or an address space's pages.
DeletingThread == delThread # NoObj
DeletingSpace == delThread = NoObj /\ delSpace # NoObj
ThreadHasCaps == freeSlots[delThread] # LocalIds
SpaceHasPages == freePages[delSpace] # VPages
\* Checkpoints (Kernel.tla): a frame's root has no predecessor on its list,
\* a derived mapping has one (an unmapped page has none); a leaf's next
\* node, if any, is no deeper than it (the descendants of a node are the run
\* after it that is deeper).  O(1) each.
IsCheckpointer(c) == c \in Checkpointers
CheckpointerLive(c) == proc[c] # NoObj
SnapshotRoot(x, v) == pt[x][v] # NoFrame /\ mdbPrev[x][v] = Nil
CheckpointerHasFreePage(c) == NextFreePage(proc[c]) # NoPage
SnapshotDerived(c, v) == mdbPrev[proc[c]][v] # Nil
SnapshotLeaf(c, v) ==
    LET n == mdbNext[proc[c]][v] IN
    IF n = Nil THEN TRUE ELSE mdbDepth[n[1]][n[2]] <= mdbDepth[proc[c]][v]
\* The node after the walked one is one of its descendants (still to remove).
CapDescendantNext ==
    LET n == capNext[capWalk[1]][capWalk[2]] IN
    n # Nil /\ capDepth[n[1]][n[2]] > capDepth[capWalk[1]][capWalk[2]]
PageDescendantNext ==
    LET n == mdbNext[pageWalk[1]][pageWalk[2]] IN
    n # Nil /\ mdbDepth[n[1]][n[2]] > mdbDepth[pageWalk[1]][pageWalk[2]]

(* ---------------- messages, as the new values they produce ------------- *)

\* The message carries its sender's generation.  (Written as a second clause:
\* the generator writes a record of parameters and constants in place, but
\* stages one that reads a variable in scratch and copies it, ten words.)
Deliver(t, d, w, it) ==
    LET r == Target(t, d) IN
    [msgBuf EXCEPT ![r][RingSlot(r, msgCount[r])] = [from |-> t, gen |-> 0, words |-> w, item |-> it],
                   ![r][RingSlot(r, msgCount[r])].gen = gen[t]]

CountDelivered(t, d) == [msgCount EXCEPT ![Target(t, d)] = @ + 1]

WakeReceiver(t, d) == [waiting EXCEPT ![Target(t, d)] = FALSE]

\* A grant frees the sender's entry (t, x) and takes the receiver's (r, s); the
\* receiver may be the sender itself, so one update when r = t.
ReturnAndTake(bits, t, x, r, s) ==
    IF r = t THEN [bits EXCEPT ![t] = (@ \ {s}) \cup {x}]
    ELSE [bits EXCEPT ![r] = @ \ {s}, ![t] = @ \cup {x}]

PageItem(kind, p) == [kind |-> kind, slot |-> p]
CapItem(kind, s) == [kind |-> kind, slot |-> s]

\* The head s of r's free list of slots is taken (popped), and, for a grant,
\* t's slot x is given back (pushed); r may be t, so one update when r = t.
PopSlotHead(r, s) == [freeSlotHead EXCEPT ![r] = freeSlotNext[r][s]]
PopSlotNext(r, s) == [freeSlotNext EXCEPT ![r][s] = NoSlot]
PopPushSlotHead(r, s, t, x) == [freeSlotHead EXCEPT ![r] = freeSlotNext[r][s], ![t] = x]
PopPushSlotNext(r, s, t, x) ==
    IF r = t THEN [freeSlotNext EXCEPT ![t][s] = NoSlot, ![t][x] = freeSlotNext[t][s]]
    ELSE [freeSlotNext EXCEPT ![r][s] = NoSlot, ![t][x] = freeSlotHead[t]]
\* t's slot x is freed: pushed on t's free list.
PushSlotHead(t, x) == [freeSlotHead EXCEPT ![t] = x]
PushSlotNext(t, x) == [freeSlotNext EXCEPT ![t][x] = freeSlotHead[t]]

\* The same for the pages of address spaces: p = NextFreePage(r) is taken
\* (from the list, whose head becomes the rest, or from the mark, which
\* moves up one page), and, for a grant, the sender's page v of address
\* space x is given back; r may be x, so one update when r = x.
PageRest(r, p) == IF freePageHead[r] # NoPage THEN freePageNext[r][p] ELSE NoPage
PopPageHead(r, p) == [freePageHead EXCEPT ![r] = PageRest(r, p)]
PopPageNext(r, p) == [freePageNext EXCEPT ![r][p] = NoPage]
PopPageMark(r, p) ==
    IF freePageHead[r] # NoPage THEN freePageMark
    ELSE [freePageMark EXCEPT ![r] = IF p = Cardinality(VPages) THEN NoPage ELSE p + 1]
PopPushPageHead(r, p, x, v) == [freePageHead EXCEPT ![r] = PageRest(r, p), ![x] = v]
PopPushPageNext(r, p, x, v) ==
    IF r = x THEN [freePageNext EXCEPT ![x][p] = NoPage, ![x][v] = PageRest(x, p)]
    ELSE [freePageNext EXCEPT ![r][p] = NoPage, ![x][v] = freePageHead[x]]
\* x's page v is freed: pushed on x's free list.
PushPageHead(x, v) == [freePageHead EXCEPT ![x] = v]
PushPageNext(x, v) == [freePageNext EXCEPT ![x][v] = freePageHead[x]]

(* ------- list surgery: insert after, take the place of, remove --------- *)

\* Link node n right after node p (n becomes p's first child).
InsertAfterNext(next, p, n) ==
    [next EXCEPT ![p[1]][p[2]] = n, ![n[1]][n[2]] = next[p[1]][p[2]]]
InsertAfterPrev(prev, next, p, n) ==
    LET nx == next[p[1]][p[2]] IN
    IF nx = Nil THEN [prev EXCEPT ![n[1]][n[2]] = p]
    ELSE [prev EXCEPT ![n[1]][n[2]] = p, ![nx[1]][nx[2]] = n]

\* Node n takes node o's place in its list; o is left unlinked.
ReplaceNext(next, prev, o, n) ==
    LET p == prev[o[1]][o[2]] IN
    IF p = Nil THEN [next EXCEPT ![n[1]][n[2]] = next[o[1]][o[2]], ![o[1]][o[2]] = Nil]
    ELSE [next EXCEPT ![n[1]][n[2]] = next[o[1]][o[2]], ![o[1]][o[2]] = Nil, ![p[1]][p[2]] = n]
ReplacePrev(next, prev, o, n) ==
    LET nx == next[o[1]][o[2]] IN
    IF nx = Nil THEN [prev EXCEPT ![n[1]][n[2]] = prev[o[1]][o[2]], ![o[1]][o[2]] = Nil]
    ELSE [prev EXCEPT ![n[1]][n[2]] = prev[o[1]][o[2]], ![o[1]][o[2]] = Nil, ![nx[1]][nx[2]] = n]
ReplaceDepth(depth, o, n) == [depth EXCEPT ![n[1]][n[2]] = depth[o[1]][o[2]], ![o[1]][o[2]] = 0]

\* Unlink the node after w (w's next) from its list.
RemoveNextNext(next, w) ==
    LET n == next[w[1]][w[2]] IN
    [next EXCEPT ![w[1]][w[2]] = next[n[1]][n[2]], ![n[1]][n[2]] = Nil]
RemoveNextPrev(next, prev, w) ==
    LET n == next[w[1]][w[2]]
        nn == next[n[1]][n[2]]
    IN  IF nn = Nil THEN [prev EXCEPT ![n[1]][n[2]] = Nil]
        ELSE [prev EXCEPT ![n[1]][n[2]] = Nil, ![nn[1]][nn[2]] = w]

\* Unlink node w, which has no descendant left, from its list: its predecessor
\* takes its next (a root has no next left: its list was its tree).
UnlinkNext(next, prev, w) ==
    LET p == prev[w[1]][w[2]] IN
    IF p = Nil THEN [next EXCEPT ![w[1]][w[2]] = Nil]
    ELSE [next EXCEPT ![w[1]][w[2]] = Nil, ![p[1]][p[2]] = next[w[1]][w[2]]]
UnlinkPrev(next, prev, w) ==
    LET n == next[w[1]][w[2]] IN
    IF n = Nil THEN [prev EXCEPT ![w[1]][w[2]] = Nil]
    ELSE [prev EXCEPT ![w[1]][w[2]] = Nil, ![n[1]][n[2]] = prev[w[1]][w[2]]]

(* ---------------------------- actions ---------------------------------- *)
(* A guard that reads the object a local id names (ObjectExists, HasRoom)  *)
(* comes after two guards that each fail on an empty slot (HoldsCap or     *)
(* CanSend, and CanGrant): an empty slot names no object, and without one  *)
(* of them the other still keeps the lookup inside its domain.             *)

\* The fast path: 6 words, no item.
Send(t, d, w) ==
    /\ Idle
    /\ Running(t)
    /\ HoldsCap(t, d)
    /\ CanSend(t, d)
    /\ ObjectExists(t, d)
    /\ HasRoom(t, d)
    /\ msgBuf' = Deliver(t, d, w, NoItem)
    /\ msgCount' = CountDelivered(t, d)
    /\ waiting' = WakeReceiver(t, d)
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, pt, mdbNext, mdbPrev, mdbDepth,
                   pageVars, frameData, free, msgHead, capWalk, pageWalk, lifeVars>>

\* The page lands in p, the head of the receiver's free list of pages (popped).
MapPage(t, d, w, v, p) ==
    /\ Idle
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ ObjectExists(t, d)
    /\ HasRoom(t, d)
    /\ PageMapped(t, v)
    /\ ReceiverHasFreePage(t, d)
    /\ PageAvailable(Target(t, d), p)
    /\ msgBuf' = Deliver(t, d, w, PageItem("mapPage", p))
    /\ msgCount' = CountDelivered(t, d)
    /\ waiting' = WakeReceiver(t, d)
    /\ pt' = [pt EXCEPT ![proc[Target(t, d)]][p] = pt[proc[t]][v]]
    /\ freePages' = [freePages EXCEPT ![proc[Target(t, d)]] = @ \ {p}]
    /\ freePageHead' = PopPageHead(proc[Target(t, d)], p)
    /\ freePageNext' = PopPageNext(proc[Target(t, d)], p)
    /\ freePageMark' = PopPageMark(proc[Target(t, d)], p)
    /\ mdbNext' = InsertAfterNext(mdbNext, <<proc[t], v>>, <<proc[Target(t, d)], p>>)
    /\ mdbPrev' = InsertAfterPrev(mdbPrev, mdbNext, <<proc[t], v>>, <<proc[Target(t, d)], p>>)
    /\ mdbDepth' = [mdbDepth EXCEPT ![proc[Target(t, d)]][p] = mdbDepth[proc[t]][v] + 1]
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, frameData, free, msgHead, capWalk, pageWalk, lifeVars>>

\* The mapping moves to p, the head of the receiver's free list (popped); the
\* sender's page v is pushed on the sender's.
GrantPage(t, d, w, v, p) ==
    /\ Idle
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ ObjectExists(t, d)
    /\ HasRoom(t, d)
    /\ PageMapped(t, v)
    /\ ReceiverHasFreePage(t, d)
    /\ PageAvailable(Target(t, d), p)
    /\ msgBuf' = Deliver(t, d, w, PageItem("grantPage", p))
    /\ msgCount' = CountDelivered(t, d)
    /\ waiting' = WakeReceiver(t, d)
    /\ pt' = [pt EXCEPT ![proc[Target(t, d)]][p] = pt[proc[t]][v], ![proc[t]][v] = NoFrame]
    /\ freePages' = ReturnAndTake(freePages, proc[t], v, proc[Target(t, d)], p)
    /\ freePageHead' = PopPushPageHead(proc[Target(t, d)], p, proc[t], v)
    /\ freePageNext' = PopPushPageNext(proc[Target(t, d)], p, proc[t], v)
    /\ freePageMark' = PopPageMark(proc[Target(t, d)], p)
    /\ mdbNext' = ReplaceNext(mdbNext, mdbPrev, <<proc[t], v>>, <<proc[Target(t, d)], p>>)
    /\ mdbPrev' = ReplacePrev(mdbNext, mdbPrev, <<proc[t], v>>, <<proc[Target(t, d)], p>>)
    /\ mdbDepth' = ReplaceDepth(mdbDepth, <<proc[t], v>>, <<proc[Target(t, d)], p>>)
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, frameData, free, msgHead, capWalk, pageWalk, lifeVars>>

\* A free frame f (the head of the free list, popped) with the same contents:
\* the root of a list of its own, at p (the head of the receiver's free list
\* of pages, popped).
CopyPage(t, d, w, v, f, p) ==
    /\ Idle
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ ObjectExists(t, d)
    /\ HasRoom(t, d)
    /\ PageMapped(t, v)
    /\ ReceiverHasFreePage(t, d)
    /\ FrameAvailable(f)
    /\ PageAvailable(Target(t, d), p)
    /\ msgBuf' = Deliver(t, d, w, PageItem("copyPage", p))
    /\ msgCount' = CountDelivered(t, d)
    /\ waiting' = WakeReceiver(t, d)
    /\ pt' = [pt EXCEPT ![proc[Target(t, d)]][p] = f]
    /\ freePages' = [freePages EXCEPT ![proc[Target(t, d)]] = @ \ {p}]
    /\ freePageHead' = PopPageHead(proc[Target(t, d)], p)
    /\ freePageNext' = PopPageNext(proc[Target(t, d)], p)
    /\ freePageMark' = PopPageMark(proc[Target(t, d)], p)
    /\ frameData' = [frameData EXCEPT ![f] = frameData[pt[proc[t]][v]]]
    /\ free' = free \ {f}
    /\ freeFrameHead' = freeFrameNext[f]
    /\ freeFrameNext' = [freeFrameNext EXCEPT ![f] = NoFrame]
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, mdbNext, mdbPrev, mdbDepth, msgHead,
                   capWalk, pageWalk, proc, gen, freeProcs, thrNext, thrPrev, delThread, delSpace, freeThrHead,
                   freeThrNext, freeProcHead, freeProcNext, procGenSpent, hCreated>>

\* The entry lands in s, the head of the receiver's free list of slots (popped).
MapCap(t, d, w, l, m, s) ==
    /\ Idle
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ ObjectExists(t, d)
    /\ HasRoom(t, d)
    /\ HoldsCap(t, l)
    /\ RightsWithin(t, l, m)
    /\ ReceiverHasFreeSlot(t, d)
    /\ SlotAvailable(Target(t, d), s)
    /\ msgBuf' = Deliver(t, d, w, CapItem("mapCap", s))
    /\ msgCount' = CountDelivered(t, d)
    /\ waiting' = WakeReceiver(t, d)
    /\ cspace' = [cspace EXCEPT ![Target(t, d)][s] = [obj |-> cspace[t][l].obj, rights |-> m, gen |-> cspace[t][l].gen]]
    /\ freeSlots' = [freeSlots EXCEPT ![Target(t, d)] = @ \ {s}]
    /\ freeSlotHead' = PopSlotHead(Target(t, d), s)
    /\ freeSlotNext' = PopSlotNext(Target(t, d), s)
    /\ capNext' = InsertAfterNext(capNext, <<t, l>>, <<Target(t, d), s>>)
    /\ capPrev' = InsertAfterPrev(capPrev, capNext, <<t, l>>, <<Target(t, d), s>>)
    /\ capDepth' = [capDepth EXCEPT ![Target(t, d)][s] = capDepth[t][l] + 1]
    /\ UNCHANGED <<pt, mdbNext, mdbPrev, mdbDepth, pageVars, frameData, free, msgHead, capWalk, pageWalk, lifeVars>>

\* The entry moves to s, the head of the receiver's free list (popped); the
\* sender's slot l is pushed on the sender's.
GrantCap(t, d, w, l, s) ==
    /\ Idle
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ ObjectExists(t, d)
    /\ HasRoom(t, d)
    /\ HoldsCap(t, l)
    /\ ReceiverHasFreeSlot(t, d)
    /\ SlotAvailable(Target(t, d), s)
    /\ msgBuf' = Deliver(t, d, w, CapItem("grantCap", s))
    /\ msgCount' = CountDelivered(t, d)
    /\ waiting' = WakeReceiver(t, d)
    /\ cspace' = [cspace EXCEPT ![Target(t, d)][s] = cspace[t][l], ![t][l] = EmptyCap]
    /\ freeSlots' = ReturnAndTake(freeSlots, t, l, Target(t, d), s)
    /\ freeSlotHead' = PopPushSlotHead(Target(t, d), s, t, l)
    /\ freeSlotNext' = PopPushSlotNext(Target(t, d), s, t, l)
    /\ capNext' = ReplaceNext(capNext, capPrev, <<t, l>>, <<Target(t, d), s>>)
    /\ capPrev' = ReplacePrev(capNext, capPrev, <<t, l>>, <<Target(t, d), s>>)
    /\ capDepth' = ReplaceDepth(capDepth, <<t, l>>, <<Target(t, d), s>>)
    /\ UNCHANGED <<pt, mdbNext, mdbPrev, mdbDepth, pageVars, frameData, free, msgHead, capWalk, pageWalk, lifeVars>>

\* An independent entry in s (popped): the root of a list of its own.
CopyCap(t, d, w, l, m, s) ==
    /\ Idle
    /\ Running(t)
    /\ CanSend(t, d)
    /\ CanGrant(t, d)
    /\ ObjectExists(t, d)
    /\ HasRoom(t, d)
    /\ HoldsCap(t, l)
    /\ RightsWithin(t, l, m)
    /\ ReceiverHasFreeSlot(t, d)
    /\ SlotAvailable(Target(t, d), s)
    /\ msgBuf' = Deliver(t, d, w, CapItem("copyCap", s))
    /\ msgCount' = CountDelivered(t, d)
    /\ waiting' = WakeReceiver(t, d)
    /\ cspace' = [cspace EXCEPT ![Target(t, d)][s] = [obj |-> cspace[t][l].obj, rights |-> m, gen |-> cspace[t][l].gen]]
    /\ freeSlots' = [freeSlots EXCEPT ![Target(t, d)] = @ \ {s}]
    /\ freeSlotHead' = PopSlotHead(Target(t, d), s)
    /\ freeSlotNext' = PopSlotNext(Target(t, d), s)
    /\ UNCHANGED <<capNext, capPrev, capDepth, pt, mdbNext, mdbPrev, mdbDepth, pageVars, frameData, free,
                   msgHead, capWalk, pageWalk, lifeVars>>

Receive(t) ==
    /\ Idle
    /\ Running(t)
    /\ InboxNonEmpty(t)
    /\ msgBuf' = [msgBuf EXCEPT ![t][msgHead[t] + 1] = EmptyMsg]
    /\ msgHead' = [msgHead EXCEPT ![t] = (@ + 1) % MaxMsgs]
    /\ msgCount' = [msgCount EXCEPT ![t] = @ - 1]
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, pt, mdbNext, mdbPrev, mdbDepth, pageVars,
                   frameData, free, waiting, capWalk, pageWalk, lifeVars>>

Wait(t) ==
    /\ Idle
    /\ Running(t)
    /\ InboxEmpty(t)
    /\ waiting' = [waiting EXCEPT ![t] = TRUE]
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, pt, mdbNext, mdbPrev, mdbDepth, pageVars,
                   frameData, free, msgBuf, msgHead, msgCount, capWalk, pageWalk, lifeVars>>

\* Starts the walk; UnmapStep runs it to completion under the kernel lock.
Unmap(t, v) ==
    /\ Idle
    /\ Running(t)
    /\ PageMapped(t, v)
    /\ pageWalk' = <<proc[t], v>>
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, pt, mdbNext, mdbPrev, mdbDepth, pageVars,
                   frameData, free, msgBuf, msgHead, msgCount, waiting, capWalk, lifeVars>>

\* Removes the next descendant of the unmapped page: O(1).
UnmapStep ==
    /\ PageWalking
    /\ PageDescendantNext
    /\ pt' = LET n == mdbNext[pageWalk[1]][pageWalk[2]] IN [pt EXCEPT ![n[1]][n[2]] = NoFrame]
    /\ freePages' = LET n == mdbNext[pageWalk[1]][pageWalk[2]] IN [freePages EXCEPT ![n[1]] = @ \cup {n[2]}]
    /\ freePageHead' = LET n == mdbNext[pageWalk[1]][pageWalk[2]] IN PushPageHead(n[1], n[2])
    /\ freePageNext' = LET n == mdbNext[pageWalk[1]][pageWalk[2]] IN PushPageNext(n[1], n[2])
    /\ UNCHANGED freePageMark
    /\ mdbNext' = RemoveNextNext(mdbNext, pageWalk)
    /\ mdbPrev' = RemoveNextPrev(mdbNext, mdbPrev, pageWalk)
    /\ mdbDepth' = LET n == mdbNext[pageWalk[1]][pageWalk[2]] IN [mdbDepth EXCEPT ![n[1]][n[2]] = 0]
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, frameData, free, msgBuf, msgHead, msgCount,
                   waiting, capWalk, pageWalk, lifeVars>>

UnmapDone ==
    /\ PageWalking
    /\ ~DeletingSpace
    /\ ~PageDescendantNext
    /\ pageWalk' = Nil
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, pt, mdbNext, mdbPrev, mdbDepth, pageVars,
                   frameData, free, msgBuf, msgHead, msgCount, waiting, capWalk, lifeVars>>

\* Starts the walk; RevokeStep runs it to completion under the kernel lock.
Revoke(t, l) ==
    /\ Idle
    /\ Running(t)
    /\ HoldsCap(t, l)
    /\ capWalk' = <<t, l>>
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, pt, mdbNext, mdbPrev, mdbDepth, pageVars,
                   frameData, free, msgBuf, msgHead, msgCount, waiting, pageWalk, lifeVars>>

\* Removes the next descendant of the revoked entry: O(1).
RevokeStep ==
    /\ CapWalking
    /\ CapDescendantNext
    /\ cspace' = LET n == capNext[capWalk[1]][capWalk[2]] IN [cspace EXCEPT ![n[1]][n[2]] = EmptyCap]
    /\ freeSlots' = LET n == capNext[capWalk[1]][capWalk[2]] IN [freeSlots EXCEPT ![n[1]] = @ \cup {n[2]}]
    /\ freeSlotHead' = LET n == capNext[capWalk[1]][capWalk[2]] IN PushSlotHead(n[1], n[2])
    /\ freeSlotNext' = LET n == capNext[capWalk[1]][capWalk[2]] IN PushSlotNext(n[1], n[2])
    /\ capNext' = RemoveNextNext(capNext, capWalk)
    /\ capPrev' = RemoveNextPrev(capNext, capPrev, capWalk)
    /\ capDepth' = LET n == capNext[capWalk[1]][capWalk[2]] IN [capDepth EXCEPT ![n[1]][n[2]] = 0]
    /\ UNCHANGED <<pt, mdbNext, mdbPrev, mdbDepth, pageVars, frameData, free, msgBuf, msgHead, msgCount,
                   waiting, capWalk, pageWalk, lifeVars>>

RevokeDone ==
    /\ CapWalking
    /\ ~DeletingThread
    /\ ~CapDescendantNext
    /\ capWalk' = Nil
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, pt, mdbNext, mdbPrev, mdbDepth, pageVars,
                   frameData, free, msgBuf, msgHead, msgCount, waiting, pageWalk, lifeVars>>

\* t creates thread u, a free thread object, in its own process: O(1).  The
\* capability lands in s, the head of t's free list of slots (popped).
CreateThread(t, u, s) ==
    /\ Idle
    /\ Running(t)
    /\ FreeThread(u)
    /\ CallerHasFreeSlot(t)
    /\ SlotAvailable(t, s)
    /\ cspace' = [cspace EXCEPT ![t][s] = [obj |-> u, rights |-> Rights, gen |-> gen[u]]]
    /\ freeSlots' = [freeSlots EXCEPT ![t] = @ \ {s}]
    /\ freeSlotHead' = PopSlotHead(t, s)
    /\ freeSlotNext' = PopSlotNext(t, s)
    /\ proc' = [proc EXCEPT ![u] = proc[t]]
    /\ thrNext' = [thrNext EXCEPT ![t] = u, ![u] = thrNext[t]]
    /\ thrPrev' = IF thrNext[t] = NoObj THEN [thrPrev EXCEPT ![u] = t]
                  ELSE [thrPrev EXCEPT ![u] = t, ![thrNext[t]] = u]
    /\ waiting' = [waiting EXCEPT ![u] = FALSE]
    /\ freeThrHead' = freeThrNext[u]
    /\ freeThrNext' = [freeThrNext EXCEPT ![u] = NoObj]
    /\ procGenSpent' = IF gen[u] = MaxGen THEN [procGenSpent EXCEPT ![proc[t]] = TRUE] ELSE procGenSpent
    /\ hCreated' = hCreated \cup {<<t, u>>}
    /\ UNCHANGED <<capNext, capPrev, capDepth, pt, mdbNext, mdbPrev, mdbDepth, pageVars, frameData, free,
                   msgBuf, msgHead, msgCount, capWalk, pageWalk, gen, freeProcs, delThread, delSpace,
                   freeProcHead, freeProcNext, freeFrameHead, freeFrameNext>>

\* t creates thread u in the free process q (an empty address space): O(1).
CreateProcess(t, u, q, s) ==
    /\ Idle
    /\ Running(t)
    /\ FreeThread(u)
    /\ FreeProcess(q)
    /\ CallerHasFreeSlot(t)
    /\ SlotAvailable(t, s)
    /\ cspace' = [cspace EXCEPT ![t][s] = [obj |-> u, rights |-> Rights, gen |-> gen[u]]]
    /\ freeSlots' = [freeSlots EXCEPT ![t] = @ \ {s}]
    /\ freeSlotHead' = PopSlotHead(t, s)
    /\ freeSlotNext' = PopSlotNext(t, s)
    /\ proc' = [proc EXCEPT ![u] = q]
    /\ freeProcs' = freeProcs \ {q}
    /\ waiting' = [waiting EXCEPT ![u] = FALSE]
    /\ freeThrHead' = freeThrNext[u]
    /\ freeThrNext' = [freeThrNext EXCEPT ![u] = NoObj]
    /\ freeProcHead' = freeProcNext[q]
    /\ freeProcNext' = [freeProcNext EXCEPT ![q] = NoObj]
    /\ procGenSpent' = [procGenSpent EXCEPT ![q] = (gen[u] = MaxGen)]
    /\ hCreated' = hCreated \cup {<<t, u>>}
    /\ UNCHANGED <<capNext, capPrev, capDepth, pt, mdbNext, mdbPrev, mdbDepth, pageVars, frameData, free,
                   msgBuf, msgHead, msgCount, capWalk, pageWalk, gen, thrNext, thrPrev, delThread, delSpace,
                   freeFrameHead, freeFrameNext>>

(* Deletion, a walk run to completion under the kernel lock.  The abstract *)
(* DeleteThread (DeleteProcess) happens at the step that starts it: from   *)
(* then on the mapping shows the dying threads parked, their tables and    *)
(* every capability derived from them empty, the dying address space's     *)
(* mappings and every mapping derived from them gone, and the frames left  *)
(* unmapped free; the walk's steps are stuttering steps of Kernel.         *)

\* t deletes the thread its local id d names, and its address space with it
\* when it is the process's last thread: O(1), the walk does the rest.
DeleteThread(t, d) ==
    /\ Idle
    /\ Running(t)
    /\ HoldsCap(t, d)
    /\ CanDelete(t, d)
    /\ ObjectExists(t, d)
    /\ GenerationLeft(t, d)
    /\ delThread' = Target(t, d)
    /\ delSpace' = IF LastThread(Target(t, d)) THEN proc[Target(t, d)] ELSE NoObj
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, pt, mdbNext, mdbPrev, mdbDepth, pageVars,
                   frameData, free, msgBuf, msgHead, msgCount, waiting, capWalk, pageWalk, proc, gen, freeProcs,
                   thrNext, thrPrev, freeVars, hCreated>>

\* t deletes the process of the thread its local id d names: every thread of
\* it (the walk follows the process's list of threads) and its address space.
DeleteProcess(t, d) ==
    /\ Idle
    /\ Running(t)
    /\ HoldsCap(t, d)
    /\ CanDelete(t, d)
    /\ ObjectExists(t, d)
    /\ ProcessGenerationsLeft(t, d)
    /\ delThread' = Target(t, d)
    /\ delSpace' = proc[Target(t, d)]
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, pt, mdbNext, mdbPrev, mdbDepth, pageVars,
                   frameData, free, msgBuf, msgHead, msgCount, waiting, capWalk, pageWalk, proc, gen, freeProcs,
                   thrNext, thrPrev, freeVars, hCreated>>

\* Starts removing the dying thread's lowest used slot: first its descendants
\* (RevokeStep), then the slot itself (DeleteCapDone).
DeleteCapStep ==
    /\ DeletingThread
    /\ ~CapWalking
    /\ ThreadHasCaps
    /\ capWalk' = <<delThread, FirstUsedSlot(delThread)>>
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, pt, mdbNext, mdbPrev, mdbDepth, pageVars,
                   frameData, free, msgBuf, msgHead, msgCount, waiting, pageWalk, lifeVars>>

\* The walked slot has no descendant left: unlink it and free it.
DeleteCapDone ==
    /\ CapWalking
    /\ DeletingThread
    /\ ~CapDescendantNext
    /\ cspace' = [cspace EXCEPT ![capWalk[1]][capWalk[2]] = EmptyCap]
    /\ freeSlots' = [freeSlots EXCEPT ![capWalk[1]] = @ \cup {capWalk[2]}]
    /\ freeSlotHead' = PushSlotHead(capWalk[1], capWalk[2])
    /\ freeSlotNext' = PushSlotNext(capWalk[1], capWalk[2])
    /\ capNext' = UnlinkNext(capNext, capPrev, capWalk)
    /\ capPrev' = UnlinkPrev(capNext, capPrev, capWalk)
    /\ capDepth' = [capDepth EXCEPT ![capWalk[1]][capWalk[2]] = 0]
    /\ capWalk' = Nil
    /\ UNCHANGED <<pt, mdbNext, mdbPrev, mdbDepth, pageVars, frameData, free, msgBuf, msgHead, msgCount,
                   waiting, pageWalk, lifeVars>>

\* The dying thread's table is empty: park it (a new generation, an empty
\* ring, no process), take it out of its process's list, and go on with the
\* next thread of a dying process, if any.
DeleteThreadDone ==
    /\ DeletingThread
    /\ ~CapWalking
    /\ ~ThreadHasCaps
    /\ proc' = [proc EXCEPT ![delThread] = NoObj]
    /\ gen' = gen
    /\ waiting' = [waiting EXCEPT ![delThread] = TRUE]
    /\ msgBuf' = [msgBuf EXCEPT ![delThread] = [i \in 1..MaxMsgs |-> EmptyMsg]]
    /\ msgHead' = [msgHead EXCEPT ![delThread] = 0]
    /\ msgCount' = [msgCount EXCEPT ![delThread] = 0]
    /\ thrNext' = IF thrPrev[delThread] = NoObj THEN [thrNext EXCEPT ![delThread] = NoObj]
                  ELSE [thrNext EXCEPT ![delThread] = NoObj, ![thrPrev[delThread]] = thrNext[delThread]]
    /\ thrPrev' = IF thrNext[delThread] = NoObj THEN [thrPrev EXCEPT ![delThread] = NoObj]
                  ELSE [thrPrev EXCEPT ![delThread] = NoObj, ![thrNext[delThread]] = thrPrev[delThread]]
    /\ delThread' = IF delSpace = NoObj THEN NoObj
                    ELSE IF thrNext[delThread] # NoObj THEN thrNext[delThread]
                    ELSE thrPrev[delThread]
    /\ freeThrHead' = delThread
    /\ freeThrNext' = [freeThrNext EXCEPT ![delThread] = freeThrHead]
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, pt, mdbNext, mdbPrev, mdbDepth, pageVars,
                   frameData, free, capWalk, pageWalk, freeProcs, delSpace, freeProcHead, freeProcNext,
                   procGenSpent, freeFrameHead, freeFrameNext, hCreated>>

\* Starts removing the dying address space's lowest mapped page: first the
\* mappings derived from it (UnmapStep), then the page itself (DeletePageDone).
DeletePageStep ==
    /\ DeletingSpace
    /\ ~PageWalking
    /\ SpaceHasPages
    /\ pageWalk' = <<delSpace, FirstMappedPage(delSpace)>>
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, pt, mdbNext, mdbPrev, mdbDepth, pageVars,
                   frameData, free, msgBuf, msgHead, msgCount, waiting, capWalk, lifeVars>>

\* The walked page has no derived mapping left: unmap it; a root (the
\* allocator's mapping) was its frame's last mapping, so the frame is free:
\* pushed on the free list.
DeletePageDone ==
    /\ PageWalking
    /\ DeletingSpace
    /\ ~PageDescendantNext
    /\ pt' = [pt EXCEPT ![pageWalk[1]][pageWalk[2]] = NoFrame]
    /\ freePages' = [freePages EXCEPT ![pageWalk[1]] = @ \cup {pageWalk[2]}]
    /\ freePageHead' = PushPageHead(pageWalk[1], pageWalk[2])
    /\ freePageNext' = PushPageNext(pageWalk[1], pageWalk[2])
    /\ UNCHANGED freePageMark
    /\ mdbNext' = UnlinkNext(mdbNext, mdbPrev, pageWalk)
    /\ mdbPrev' = UnlinkPrev(mdbNext, mdbPrev, pageWalk)
    /\ mdbDepth' = [mdbDepth EXCEPT ![pageWalk[1]][pageWalk[2]] = 0]
    /\ free' = IF mdbPrev[pageWalk[1]][pageWalk[2]] = Nil THEN free \cup {pt[pageWalk[1]][pageWalk[2]]} ELSE free
    /\ frameData' = IF mdbPrev[pageWalk[1]][pageWalk[2]] = Nil
                    THEN [frameData EXCEPT ![pt[pageWalk[1]][pageWalk[2]]] = NoData]
                    ELSE frameData
    /\ freeFrameHead' = IF mdbPrev[pageWalk[1]][pageWalk[2]] = Nil THEN pt[pageWalk[1]][pageWalk[2]] ELSE freeFrameHead
    /\ freeFrameNext' = IF mdbPrev[pageWalk[1]][pageWalk[2]] = Nil
                        THEN [freeFrameNext EXCEPT ![pt[pageWalk[1]][pageWalk[2]]] = freeFrameHead]
                        ELSE freeFrameNext
    /\ pageWalk' = Nil
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, msgBuf, msgHead, msgCount, waiting, capWalk,
                   proc, gen, freeProcs, thrNext, thrPrev, delThread, delSpace, freeThrHead, freeThrNext,
                   freeProcHead, freeProcNext, procGenSpent, hCreated>>

\* The dying address space is empty: its process object is free again.
DeleteSpaceDone ==
    /\ DeletingSpace
    /\ ~PageWalking
    /\ ~SpaceHasPages
    /\ freeProcs' = freeProcs \cup {delSpace}
    /\ freeProcHead' = delSpace
    /\ freeProcNext' = [freeProcNext EXCEPT ![delSpace] = freeProcHead]
    /\ delSpace' = NoObj
    /\ freePageHead' = [freePageHead EXCEPT ![delSpace] = NoPage]
    /\ freePageMark' = [freePageMark EXCEPT ![delSpace] = 1]
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, pt, mdbNext, mdbPrev, mdbDepth, freePages, freePageNext,
                   frameData, free, msgBuf, msgHead, msgCount, waiting, capWalk, pageWalk, proc, gen,
                   thrNext, thrPrev, delThread, freeThrHead, freeThrNext, procGenSpent, freeFrameHead, freeFrameNext,
                   hCreated>>

\* The kernel maps the frame of x's root mapping at v into checkpointer c's
\* free page p (the head of its free list, popped), linked right after the
\* root, one level deeper: O(1).
MapSnapshot(c, x, v, p) ==
    /\ Idle
    /\ IsCheckpointer(c)
    /\ CheckpointerLive(c)
    /\ SnapshotRoot(x, v)
    /\ CheckpointerHasFreePage(c)
    /\ PageAvailable(c, p)
    /\ pt' = [pt EXCEPT ![proc[c]][p] = pt[x][v]]
    /\ freePages' = [freePages EXCEPT ![proc[c]] = @ \ {p}]
    /\ freePageHead' = PopPageHead(proc[c], p)
    /\ freePageNext' = PopPageNext(proc[c], p)
    /\ freePageMark' = PopPageMark(proc[c], p)
    /\ mdbNext' = InsertAfterNext(mdbNext, <<x, v>>, <<proc[c], p>>)
    /\ mdbPrev' = InsertAfterPrev(mdbPrev, mdbNext, <<x, v>>, <<proc[c], p>>)
    /\ mdbDepth' = [mdbDepth EXCEPT ![proc[c]][p] = 1]
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, frameData, free, msgBuf, msgHead, msgCount,
                   waiting, capWalk, pageWalk, lifeVars>>

\* Checkpointer c drops its derived leaf mapping at v: unlinked from its list, O(1).
UnmapSnapshot(c, v) ==
    /\ Idle
    /\ IsCheckpointer(c)
    /\ CheckpointerLive(c)
    /\ SnapshotDerived(c, v)
    /\ SnapshotLeaf(c, v)
    /\ pt' = [pt EXCEPT ![proc[c]][v] = NoFrame]
    /\ freePages' = [freePages EXCEPT ![proc[c]] = @ \cup {v}]
    /\ freePageHead' = PushPageHead(proc[c], v)
    /\ freePageNext' = PushPageNext(proc[c], v)
    /\ UNCHANGED freePageMark
    /\ mdbNext' = UnlinkNext(mdbNext, mdbPrev, <<proc[c], v>>)
    /\ mdbPrev' = UnlinkPrev(mdbNext, mdbPrev, <<proc[c], v>>)
    /\ mdbDepth' = [mdbDepth EXCEPT ![proc[c]][v] = 0]
    /\ UNCHANGED <<cspace, capNext, capPrev, capDepth, slotVars, frameData, free, msgBuf, msgHead, msgCount,
                   waiting, capWalk, pageWalk, lifeVars>>

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
    \/ UnmapStep \/ UnmapDone \/ RevokeStep \/ RevokeDone
    \/ \E t, u \in Threads, s \in LocalIds : CreateThread(t, u, s)
    \/ \E t, u \in Threads, q \in Procs, s \in LocalIds : CreateProcess(t, u, q, s)
    \/ \E t \in Threads, d \in LocalIds : DeleteThread(t, d) \/ DeleteProcess(t, d)
    \/ DeleteCapStep \/ DeleteCapDone \/ DeleteThreadDone
    \/ DeletePageStep \/ DeletePageDone \/ DeleteSpaceDone
    \/ \E c \in Threads, x \in Procs, v, p \in VPages : MapSnapshot(c, x, v, p)
    \/ \E c \in Threads, v \in VPages : UnmapSnapshot(c, v)

Spec == Init /\ [][Next]_vars

(* ---------------------- structural invariants -------------------------- *)

\* Each list is well formed: a free entry is unlinked; a node has a
\* predecessor exactly when it is not a root; next and prev agree; the
\* nodes of one list hold the same object (map the same frame); a node is
\* at most one level deeper than its predecessor, except right after the
\* node a walk is removing descendants of; and following prev from any
\* node reaches the root (no cycles).
RECURSIVE CapRootReached(_, _)
CapRootReached(n, fuel) ==
    IF capPrev[n[1]][n[2]] = Nil THEN capDepth[n[1]][n[2]] = 0
    ELSE fuel > 0 /\ CapRootReached(capPrev[n[1]][n[2]], fuel - 1)

CapListsWellFormed ==
    \A x \in Threads, k \in LocalIds :
        LET nx == capNext[x][k]
            p == capPrev[x][k]
        IN  /\ ~HoldsCap(x, k) => nx = Nil /\ p = Nil /\ capDepth[x][k] = 0
            /\ (p = Nil) = (capDepth[x][k] = 0)
            /\ p # Nil => /\ capNext[p[1]][p[2]] = <<x, k>>
                          /\ cspace[p[1]][p[2]].obj = cspace[x][k].obj
            /\ nx # Nil => /\ capPrev[nx[1]][nx[2]] = <<x, k>>
                           /\ capDepth[nx[1]][nx[2]] >= 1
                           /\ <<x, k>> # capWalk => capDepth[nx[1]][nx[2]] <= capDepth[x][k] + 1
            /\ HoldsCap(x, k) => CapRootReached(<<x, k>>, Cardinality(Threads) * Cardinality(LocalIds))

RECURSIVE MdbRootReached(_, _)
MdbRootReached(n, fuel) ==
    IF mdbPrev[n[1]][n[2]] = Nil THEN mdbDepth[n[1]][n[2]] = 0
    ELSE fuel > 0 /\ MdbRootReached(mdbPrev[n[1]][n[2]], fuel - 1)

MdbListsWellFormed ==
    \A x \in Procs, k \in VPages :
        LET nx == mdbNext[x][k]
            p == mdbPrev[x][k]
        IN  /\ pt[x][k] = NoFrame => nx = Nil /\ p = Nil /\ mdbDepth[x][k] = 0
            /\ (p = Nil) = (mdbDepth[x][k] = 0)
            /\ p # Nil => /\ mdbNext[p[1]][p[2]] = <<x, k>>
                          /\ pt[p[1]][p[2]] = pt[x][k]
            /\ nx # Nil => /\ mdbPrev[nx[1]][nx[2]] = <<x, k>>
                           /\ mdbDepth[nx[1]][nx[2]] >= 1
                           /\ <<x, k>> # pageWalk => mdbDepth[nx[1]][nx[2]] <= mdbDepth[x][k] + 1
            /\ pt[x][k] # NoFrame => MdbRootReached(<<x, k>>, Cardinality(Procs) * Cardinality(VPages))

\* The bitmaps hold exactly the free entries.
FreeSlotsExact == \A t \in Threads : freeSlots[t] = {l \in LocalIds : cspace[t][l].obj = NoObj}
FreePagesExact == \A x \in Procs : freePages[x] = {v \in VPages : pt[x][v] = NoFrame}
FreeFramesExact == free = {f \in Frames : \A x \in Procs, v \in VPages : pt[x][v] # f}
\* (The address space a deletion is removing is freed at the walk's end.)
FreeProcsExact == freeProcs = {x \in Procs : x # delSpace /\ \A t \in Threads : proc[t] # x}

\* Each process's list of threads holds exactly its threads: a free thread
\* object is unlinked, next and prev agree, linked threads share a process,
\* and two threads of one process are on one list.
RECURSIVE ThrReaches(_, _, _)
ThrReaches(x, y, fuel) ==
    x = y \/ (fuel > 0 /\ thrNext[x] # NoObj /\ ThrReaches(thrNext[x], y, fuel - 1))

ThreadListsWellFormed ==
    \A x \in Threads :
        /\ proc[x] = NoObj => thrNext[x] = NoObj /\ thrPrev[x] = NoObj
        /\ thrNext[x] # NoObj => thrPrev[thrNext[x]] = x /\ proc[thrNext[x]] = proc[x]
        /\ thrPrev[x] # NoObj => thrNext[thrPrev[x]] = x /\ proc[thrPrev[x]] = proc[x]
        /\ \A y \in Threads :
              proc[x] # NoObj /\ proc[x] = proc[y] =>
                  ThrReaches(x, y, Cardinality(Threads)) \/ ThrReaches(y, x, Cardinality(Threads))

\* A deletion walk is in one phase at a time and walks only what it deletes:
\* the dying thread is live and of the dying address space (if any); a walk
\* of slots or pages under way is the dying thread's or address space's.
DeleteWalkWellFormed ==
    /\ delThread # NoObj => /\ proc[delThread] # NoObj
                            /\ delSpace # NoObj => proc[delThread] = delSpace
                            /\ pageWalk = Nil
                            /\ capWalk # Nil => capWalk[1] = delThread
    /\ delSpace # NoObj => /\ delSpace \notin freeProcs
                           /\ delThread = NoObj => capWalk = Nil /\ (pageWalk # Nil => pageWalk[1] = delSpace)

\* The free lists hold exactly the free objects, each once, and end: the
\* thread objects with no process, the process objects in freeProcs.  An
\* object off its free list has no successor on it.
RECURSIVE FreeThrFrom(_, _)
FreeThrFrom(x, fuel) == IF x = NoObj \/ fuel = 0 THEN {} ELSE {x} \cup FreeThrFrom(freeThrNext[x], fuel - 1)
RECURSIVE FreeThrEnds(_, _)
FreeThrEnds(x, fuel) == x = NoObj \/ (fuel > 0 /\ FreeThrEnds(freeThrNext[x], fuel - 1))
FreeThreadListExact ==
    /\ FreeThrFrom(freeThrHead, Cardinality(Threads)) = {x \in Threads : proc[x] = NoObj}
    /\ FreeThrEnds(freeThrHead, Cardinality(Threads))
    /\ \A x \in Threads : proc[x] # NoObj => freeThrNext[x] = NoObj

RECURSIVE FreeProcFrom(_, _)
FreeProcFrom(q, fuel) == IF q = NoObj \/ fuel = 0 THEN {} ELSE {q} \cup FreeProcFrom(freeProcNext[q], fuel - 1)
RECURSIVE FreeProcEnds(_, _)
FreeProcEnds(q, fuel) == q = NoObj \/ (fuel > 0 /\ FreeProcEnds(freeProcNext[q], fuel - 1))
FreeProcListExact ==
    /\ FreeProcFrom(freeProcHead, Cardinality(Procs)) = freeProcs
    /\ FreeProcEnds(freeProcHead, Cardinality(Procs))
    /\ \A q \in Procs : q \notin freeProcs => freeProcNext[q] = NoObj

\* The free list of frames holds exactly the free frames, each once, and
\* ends; a frame off it has no successor on it.
RECURSIVE FreeFrameFrom(_, _)
FreeFrameFrom(f, fuel) == IF f = NoFrame \/ fuel = 0 THEN {} ELSE {f} \cup FreeFrameFrom(freeFrameNext[f], fuel - 1)
RECURSIVE FreeFrameEnds(_, _)
FreeFrameEnds(f, fuel) == f = NoFrame \/ (fuel > 0 /\ FreeFrameEnds(freeFrameNext[f], fuel - 1))
FreeFrameListExact ==
    /\ FreeFrameFrom(freeFrameHead, Cardinality(Frames)) = free
    /\ FreeFrameEnds(freeFrameHead, Cardinality(Frames))
    /\ \A f \in Frames : f \notin free => freeFrameNext[f] = NoFrame

\* Each thread's free list of slots holds exactly its free slots, each once,
\* and ends; a slot off it has no successor on it.
RECURSIVE FreeSlotFrom(_, _, _)
FreeSlotFrom(t, l, fuel) ==
    IF l = NoSlot \/ fuel = 0 THEN {} ELSE {l} \cup FreeSlotFrom(t, freeSlotNext[t][l], fuel - 1)
RECURSIVE FreeSlotEnds(_, _, _)
FreeSlotEnds(t, l, fuel) == l = NoSlot \/ (fuel > 0 /\ FreeSlotEnds(t, freeSlotNext[t][l], fuel - 1))
FreeSlotListExact ==
    \A t \in Threads :
        /\ FreeSlotFrom(t, freeSlotHead[t], Cardinality(LocalIds)) = {l \in LocalIds : cspace[t][l].obj = NoObj}
        /\ FreeSlotEnds(t, freeSlotHead[t], Cardinality(LocalIds))
        /\ \A l \in LocalIds : cspace[t][l].obj # NoObj => freeSlotNext[t][l] = NoSlot

\* Each address space's free pages are exactly those on its free list (each
\* once; the list ends) and those from its mark up, which are off the list;
\* a mapped page has no successor on the list.
MarkedPages(x) == IF freePageMark[x] = NoPage THEN {} ELSE {v \in VPages : v >= freePageMark[x]}
RECURSIVE FreePageFrom(_, _, _)
FreePageFrom(x, v, fuel) ==
    IF v = NoPage \/ fuel = 0 THEN {} ELSE {v} \cup FreePageFrom(x, freePageNext[x][v], fuel - 1)
RECURSIVE FreePageEnds(_, _, _)
FreePageEnds(x, v, fuel) == v = NoPage \/ (fuel > 0 /\ FreePageEnds(x, freePageNext[x][v], fuel - 1))
FreePageListExact ==
    \A x \in Procs :
        /\ FreePageFrom(x, freePageHead[x], Cardinality(VPages)) \cup MarkedPages(x) = {v \in VPages : pt[x][v] = NoFrame}
        /\ FreePageFrom(x, freePageHead[x], Cardinality(VPages)) \cap MarkedPages(x) = {}
        /\ FreePageEnds(x, freePageHead[x], Cardinality(VPages))
        /\ \A v \in VPages : pt[x][v] # NoFrame => freePageNext[x][v] = NoPage

\* The ABI's requirement (docs/abi.md): a free process object, whether never
\* used or freed by a deletion, fills its window from the first page, where a
\* new process's first thread starts.
FreeSpaceFillsFirstPage == \A x \in freeProcs : NextFreePage(x) = 1

\* procGenSpent marks exactly the processes with a thread at its last
\* generation (such a thread cannot be deleted, so the mark never needs
\* clearing while its process lives).
ProcGenSpentExact ==
    \A q \in Procs : procGenSpent[q] = \E x \in Threads : proc[x] = q /\ gen[x] = MaxGen

\* The ring's used slots hold messages and its unused slots are empty.
RingsWellFormed ==
    \A t \in Threads, i \in 0..(MaxMsgs - 1) :
        IF i < msgCount[t] THEN msgBuf[t][RingSlot(t, i)].from # NoObj
        ELSE msgBuf[t][RingSlot(t, i)] = EmptyMsg

ImplInvariants ==
    /\ TypeOK /\ CapListsWellFormed /\ MdbListsWellFormed
    /\ FreeSlotsExact /\ FreePagesExact /\ FreeFramesExact /\ FreeProcsExact /\ RingsWellFormed
    /\ ThreadListsWellFormed /\ DeleteWalkWellFormed
    /\ FreeThreadListExact /\ FreeProcListExact /\ ProcGenSpentExact /\ FreeFrameListExact /\ FreeSlotListExact
    /\ FreePageListExact /\ FreeSpaceFillsFirstPage

(* ------------------- the refinement mapping to Kernel ------------------ *)
(* Kernel's ancestor sets are read off the lists: walking back from a node, *)
(* a node shallower than every node passed so far is an ancestor.  While a  *)
(* walk is under way, the entries it has still to remove already count as  *)
(* removed: the abstract Revoke (Unmap, DeleteThread, DeleteProcess)        *)
(* happens at the step that starts the walk, and the walk's steps are       *)
(* stuttering steps of Kernel.  During a deletion, the dying threads (the   *)
(* one being emptied and every live thread of the dying address space)     *)
(* count as parked, with a new generation and an empty vector; what derives *)
(* from their slots or from the dying address space's pages counts as gone, *)
(* and a frame all of whose mappings count as gone as free.                *)

RECURSIVE CapAncFrom(_, _, _, _)
CapAncFrom(p, dmin, acc, fuel) ==
    IF p = Nil \/ fuel = 0 THEN acc
    ELSE IF capDepth[p[1]][p[2]] < dmin
         THEN CapAncFrom(capPrev[p[1]][p[2]], capDepth[p[1]][p[2]], acc \cup {p}, fuel - 1)
         ELSE CapAncFrom(capPrev[p[1]][p[2]], dmin, acc, fuel - 1)
CapAnc(x, k) == CapAncFrom(capPrev[x][k], capDepth[x][k], {}, Cardinality(Threads) * Cardinality(LocalIds))

RECURSIVE MdbAncFrom(_, _, _, _)
MdbAncFrom(p, dmin, acc, fuel) ==
    IF p = Nil \/ fuel = 0 THEN acc
    ELSE IF mdbDepth[p[1]][p[2]] < dmin
         THEN MdbAncFrom(mdbPrev[p[1]][p[2]], mdbDepth[p[1]][p[2]], acc \cup {p}, fuel - 1)
         ELSE MdbAncFrom(mdbPrev[p[1]][p[2]], dmin, acc, fuel - 1)
MdbAnc(x, k) == MdbAncFrom(mdbPrev[x][k], mdbDepth[x][k], {}, Cardinality(Procs) * Cardinality(VPages))

\* A thread a deletion under way removes.
Dying(x) == proc[x] # NoObj /\ (x = delThread \/ proc[x] = delSpace)

CapRevoked(x, k) ==
    \/ capWalk # Nil /\ capWalk \in CapAnc(x, k)
    \/ Dying(x)
    \/ \E a \in CapAnc(x, k) : Dying(a[1])
PageRevoked(x, k) ==
    \/ pageWalk # Nil /\ pageWalk \in MdbAnc(x, k)
    \/ delSpace # NoObj /\ x = delSpace
    \/ delSpace # NoObj /\ \E a \in MdbAnc(x, k) : a[1] = delSpace

\* (Outside a walk the tables are Kernel's own; the shortcut keeps TLC fast.)
AbsCspace ==
    IF capWalk = Nil /\ delThread = NoObj /\ delSpace = NoObj THEN cspace
    ELSE [x \in Threads |-> [k \in LocalIds |-> IF CapRevoked(x, k) THEN EmptyCap ELSE cspace[x][k]]]
AbsCapAnc == [x \in Threads |-> [k \in LocalIds |-> IF CapRevoked(x, k) THEN {} ELSE CapAnc(x, k)]]
AbsPt ==
    IF pageWalk = Nil /\ delSpace = NoObj THEN pt
    ELSE [x \in Procs |-> [k \in VPages |-> IF PageRevoked(x, k) THEN NoFrame ELSE pt[x][k]]]
AbsMdb ==
    [x \in Procs |-> [k \in VPages |->
        IF PageRevoked(x, k) THEN [frame |-> NoFrame, anc |-> {}]
        ELSE [frame |-> pt[x][k], anc |-> MdbAnc(x, k)]]]
\* Frames whose every mapping counts as gone are free (their contents dropped).
AbsFree ==
    IF delSpace = NoObj THEN free
    ELSE free \cup {f \in Frames : \A x \in Procs, k \in VPages : pt[x][k] = f => PageRevoked(x, k)}
AbsFrameData == [f \in Frames |-> IF f \in AbsFree THEN NoData ELSE frameData[f]]
AbsProc == [x \in Threads |-> IF Dying(x) THEN NoObj ELSE proc[x]]
AbsGen == [x \in Threads |-> IF Dying(x) THEN gen[x] + 1 ELSE gen[x]]
AbsWaiting == [x \in Threads |-> Dying(x) \/ waiting[x]]
\* The i-th message (from 1) of t's vector.
QueuedMsg(t, i) == msgBuf[t][RingSlot(t, i - 1)]
QueueLen(t) == IF Dying(t) THEN 0 ELSE msgCount[t]
AbsInbox == [t \in Threads |-> [i \in 1..QueueLen(t) |-> QueuedMsg(t, i)]]
\* Kernel's ghosts, as its invariants NoLossNoDup and FifoPerPair say they must be.
AbsInFlight ==
    [a \in Threads |-> [b \in Threads |-> Cardinality({i \in 1..QueueLen(b) : QueuedMsg(b, i).from = a})]]
AbsTag ==
    [b \in Threads |-> [i \in 1..QueueLen(b) |->
        Cardinality({j \in 1..i : QueuedMsg(b, j).from = QueuedMsg(b, i).from})]]

=============================================================================
