------------------------------- MODULE Memory -------------------------------
(***************************************************************************)
(* Address spaces and the mapping database.  pt is what the MMU walks;     *)
(* mdb is the kernel's record of where each mapping came from.  A mapping  *)
(* node is named by (thread, virtual page); its anc set lists every        *)
(* mapping it was derived from, so an unmap (L4 "flush") is one pass: drop *)
(* every node whose anc contains the flushed one.                          *)
(*                                                                         *)
(* Every frame's tree hangs from one root: the mapping the frame allocator *)
(* (the initial owner, sigma0 in L4) handed out at boot or on a copy.      *)
(*   map   the receiver's mapping of the same frame, derived from the      *)
(*         sender's;                                                       *)
(*   grant the mapping moves: the sender loses it and the receiver takes   *)
(*         its place in the tree (a granted root stays the root);          *)
(*   copy  a free frame (any: the caller's choice) holding the same        *)
(*         contents, a new root.                                           *)
(* Pages travel along capabilities with the "grant" right.                 *)
(*                                                                         *)
(* Address spaces belong to processes: the threads of a process share its *)
(* page table (proc[t] names t's process), and a thread's page operations *)
(* act on its process's address space.  A mapping node is named by        *)
(* (process, virtual page).  A free thread object belongs to no process    *)
(* (NoProc); Kernel.tla creates and deletes threads and processes.        *)
(***************************************************************************)
EXTENDS CSpace

CONSTANTS
    VPages,     \* the virtual pages of every address space, 1..P
    Frames,     \* the physical frames, 1..F
    Procs,      \* the process objects (each one address space), model values
    InitProc,   \* InitProc[t]: the process thread t belongs to at boot, NoProc for a free thread object
    InitPages   \* boot page tables, [Procs -> [VPages -> Frames \cup {NoFrame}]]; each frame at most once

VARIABLES
    pt,         \* pt[t][v]: frame mapped at t's virtual page v, NoFrame if none
    mdb,        \* mdb[t][v]: mapping-database node of t's page v, [frame, anc]
    frameData,  \* frameData[f]: contents of frame f (NoData for a frame never handed out)
    free,       \* frames the allocator has not handed out yet
    proc        \* proc[t]: the process thread t belongs to, NoProc for a free thread object

memVars == <<pt, mdb, frameData, free, proc>>

NoFrame == 0
NoData == 0
NoProc == NoObj
PageNodes == Procs \X VPages
MdbNode == [frame: Frames \cup {NoFrame}, anc: SUBSET PageNodes]
NoMapping == [frame |-> NoFrame, anc |-> {}]

ASSUME InitProc \in [Threads -> Procs \cup {NoProc}]
ASSUME InitPages \in [Procs -> [VPages -> Frames \cup {NoFrame}]]
ASSUME \A x, y \in Procs, v, w \in VPages :
          InitPages[x][v] # NoFrame /\ InitPages[x][v] = InitPages[y][w] => <<x, v>> = <<y, w>>

BootFrames == {InitPages[x][v] : x \in Procs, v \in VPages} \ {NoFrame}

MemTypeOK ==
    /\ pt \in [Procs -> [VPages -> Frames \cup {NoFrame}]]
    /\ mdb \in [Procs -> [VPages -> MdbNode]]
    /\ frameData \in [Frames -> Frames \cup {NoData}]
    /\ free \in SUBSET Frames
    /\ proc \in [Threads -> Procs \cup {NoProc}]

\* A frame's boot contents are labelled by its own number; a copy carries the label.
BootMdb == [x \in Procs |-> [v \in VPages |-> [frame |-> InitPages[x][v], anc |-> {}]]]
BootData == [f \in Frames |-> IF f \in BootFrames THEN f ELSE NoData]

MemInit ==
    /\ pt = InitPages
    /\ mdb = BootMdb
    /\ frameData = BootData
    /\ free = Frames \ BootFrames
    /\ proc = InitProc

(* ---------------------------- lookups ---------------------------------- *)

\* The address space thread t's page operations act on: its process's.
Space(t) == proc[t]

\* The unmapped pages of thread t's address space.
FreePages(t) == {v \in VPages : pt[Space(t)][v] = NoFrame}
\* A page item (or a snapshot mapping) lands in a free page of the receiver's
\* address space that the implementation chooses (the sender cannot name the
\* receiver's pages): the choice is the transfer's argument p, so the kernel
\* keeps its free pages as it likes (a free list), and the message tells the
\* receiver where the page landed.

(* ---------------------------- guards ----------------------------------- *)

PageMapped(t, v) == pt[Space(t)][v] # NoFrame
ReceiverHasFreePage(t, d) == FreePages(Target(t, d)) # {}
\* p is a free page of thread r's address space: any, the implementation's choice.
PageAvailable(r, p) == p \in FreePages(r)
\* A copy lands in any free frame f: the implementation chooses (as seL4's
\* untyped memory lets it), and the choice is an argument of the call.
FrameAvailable(f) == f \in free

(* ------------- the transfers, as the new values they produce ----------- *)

\* In each operator t is the calling thread, r the receiving thread; their
\* address spaces are Space(t) and Space(r) (one space when they share a process).
MapPageTables(t, d, v, p) ==
    LET r == Target(t, d) IN
    [pt EXCEPT ![Space(r)][p] = pt[Space(t)][v]]

MapPageMdb(t, d, v, p) ==
    LET r == Target(t, d) IN
    [mdb EXCEPT ![Space(r)][p] =
        [frame |-> pt[Space(t)][v], anc |-> mdb[Space(t)][v].anc \cup {<<Space(t), v>>}]]

GrantPageTables(t, d, v, p) ==
    LET r == Target(t, d) IN
    [pt EXCEPT ![Space(r)][p] = pt[Space(t)][v], ![Space(t)][v] = NoFrame]

GrantPageMdb(t, d, v, p) ==
    LET r == Target(t, d)
    IN  [x \in Procs |-> [k \in VPages |->
            IF <<x, k>> = <<Space(r), p>> THEN mdb[Space(t)][v]
            ELSE IF <<x, k>> = <<Space(t), v>> THEN NoMapping
            ELSE [frame |-> mdb[x][k].frame, anc |-> Rename(mdb[x][k].anc, <<Space(t), v>>, <<Space(r), p>>)]]]

CopyPageTables(t, d, f, p) ==
    LET r == Target(t, d) IN
    [pt EXCEPT ![Space(r)][p] = f]

CopyPageMdb(t, d, f, p) ==
    LET r == Target(t, d) IN
    [mdb EXCEPT ![Space(r)][p] = [frame |-> f, anc |-> {}]]

CopyPageData(t, v, f) == [frameData EXCEPT ![f] = frameData[pt[Space(t)][v]]]

\* Unmap removes every mapping derived from t's page v, at any depth, in
\* every address space, and nothing else: t keeps its own mapping.
UnmapTables(t, v) ==
    [x \in Procs |-> [k \in VPages |->
        IF <<Space(t), v>> \in mdb[x][k].anc THEN NoFrame ELSE pt[x][k]]]

UnmapMdb(t, v) ==
    [x \in Procs |-> [k \in VPages |->
        IF <<Space(t), v>> \in mdb[x][k].anc THEN NoMapping ELSE mdb[x][k]]]

(* -------- page transfers on their own (used by MCMemory) --------------- *)

MemMapPage(t, d, v, p) ==
    /\ CanGrant(t, d)
    /\ PageMapped(t, v)
    /\ ReceiverHasFreePage(t, d)
    /\ PageAvailable(Target(t, d), p)
    /\ pt' = MapPageTables(t, d, v, p)
    /\ mdb' = MapPageMdb(t, d, v, p)
    /\ UNCHANGED <<frameData, free, proc, cspace, capAnc>>

MemGrantPage(t, d, v, p) ==
    /\ CanGrant(t, d)
    /\ PageMapped(t, v)
    /\ ReceiverHasFreePage(t, d)
    /\ PageAvailable(Target(t, d), p)
    /\ pt' = GrantPageTables(t, d, v, p)
    /\ mdb' = GrantPageMdb(t, d, v, p)
    /\ UNCHANGED <<frameData, free, proc, cspace, capAnc>>

MemCopyPage(t, d, v, f, p) ==
    /\ CanGrant(t, d)
    /\ PageMapped(t, v)
    /\ ReceiverHasFreePage(t, d)
    /\ FrameAvailable(f)
    /\ PageAvailable(Target(t, d), p)
    /\ pt' = CopyPageTables(t, d, f, p)
    /\ mdb' = CopyPageMdb(t, d, f, p)
    /\ frameData' = CopyPageData(t, v, f)
    /\ free' = free \ {f}
    /\ UNCHANGED <<proc, cspace, capAnc>>

MemUnmap(t, v) ==
    /\ PageMapped(t, v)
    /\ pt' = UnmapTables(t, v)
    /\ mdb' = UnmapMdb(t, v)
    /\ UNCHANGED <<frameData, free, proc, cspace, capAnc>>

MemNext ==
    \/ \E t \in Threads, d \in LocalIds, v, p \in VPages :
          MemMapPage(t, d, v, p) \/ MemGrantPage(t, d, v, p) \/ \E f \in Frames : MemCopyPage(t, d, v, f, p)
    \/ \E t \in Threads, v \in VPages : MemUnmap(t, v)

MemSpec == CSpaceInit /\ MemInit /\ [][MemNext]_<<memVars, cspaceVars>>

(* ---------------------------- invariants ------------------------------- *)

\* No mapping without its database node and no node without its mapping.
MdbMatchesPageTables ==
    \A x \in Procs, k \in VPages : pt[x][k] = mdb[x][k].frame

RootsOf(f) == {n \in PageNodes : mdb[n[1]][n[2]].frame = f /\ mdb[n[1]][n[2]].anc = {}}

\* The mapping database is a forest with one tree per handed-out frame: a
\* node's ancestors map the same frame, form one chain and never include the
\* node; each handed-out frame has exactly one root (its allocator mapping)
\* and a frame still in the free pool has no mapping at all.
MdbForest ==
    /\ \A x \in Procs, k \in VPages :
          LET n == mdb[x][k] IN
          /\ n.frame = NoFrame => n.anc = {}
          /\ n.frame \notin free
          /\ <<x, k>> \notin n.anc
          /\ \A a \in n.anc :
                /\ mdb[a[1]][a[2]].frame = n.frame
                /\ mdb[a[1]][a[2]].anc \subseteq n.anc
          /\ \A a, b \in n.anc :
                a = b \/ a \in mdb[b[1]][b[2]].anc \/ b \in mdb[a[1]][a[2]].anc
    /\ \A f \in Frames : Cardinality(RootsOf(f)) = IF f \in free THEN 0 ELSE 1

=============================================================================
