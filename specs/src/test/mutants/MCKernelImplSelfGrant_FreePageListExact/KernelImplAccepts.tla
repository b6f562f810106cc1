------------------------- MODULE KernelImplAccepts -------------------------
(***************************************************************************)
(* KernelImpl accepts every call Kernel.tla accepts.  Refinement says each *)
(* KernelImpl step is a Kernel step; it says nothing about the calls       *)
(* KernelImpl refuses, and a KernelImpl that refused every send would      *)
(* refine Kernel.  These invariants close that gap: when no walk is under  *)
(* way (the kernel lock is free), a call whose guard Kernel.tla accepts in *)
(* the abstract state is enabled in KernelImpl, with the same arguments.   *)
(* Where KernelImpl chooses (the new thread and process objects, the      *)
(* frame of a copy, the page a page item lands in and the slot an entry    *)
(* lands in are the heads of free lists), some choice must be enabled.     *)
(* The guards are Kernel.tla's, read through the refinement mapping (TLC  *)
(* cannot evaluate ENABLED of an instantiated action whose variables are   *)
(* expressions).                                                           *)
(* For the checker only; never compiled.                                   *)
(***************************************************************************)
EXTENDS KernelImpl

A == INSTANCE Kernel
        WITH cspace <- AbsCspace, capAnc <- AbsCapAnc, pt <- AbsPt, mdb <- AbsMdb,
             inbox <- AbsInbox, hInFlight <- AbsInFlight, hTag <- AbsTag, Confined <- {},
             proc <- AbsProc, gen <- AbsGen, waiting <- AbsWaiting, frameData <- AbsFrameData, free <- AbsFree,
             hConfined <- {}

\* The guard every transfer shares: t runs and may send (and grant) to d's live object, whose vector has room.
TransferAccepted(t, d) ==
    A!Running(t) /\ A!CanSend(t, d) /\ A!CanGrant(t, d) /\ A!ObjectExists(t, d) /\ A!HasRoom(t, d)

SendAccepted ==
    Idle => \A t \in Threads, d \in LocalIds, w \in Payloads :
        A!Running(t) /\ A!HoldsCap(t, d) /\ A!CanSend(t, d) /\ A!ObjectExists(t, d) /\ A!HasRoom(t, d)
            => ENABLED Send(t, d, w)

\* Kernel accepts a page item into any free page of the receiver's; KernelImpl takes the head of its free list.
MapPageAccepted ==
    Idle => \A t \in Threads, d \in LocalIds, w \in Payloads, v \in VPages :
        TransferAccepted(t, d) /\ A!PageMapped(t, v) /\ A!ReceiverHasFreePage(t, d)
            => \E p \in VPages : ENABLED MapPage(t, d, w, v, p)

GrantPageAccepted ==
    Idle => \A t \in Threads, d \in LocalIds, w \in Payloads, v \in VPages :
        TransferAccepted(t, d) /\ A!PageMapped(t, v) /\ A!ReceiverHasFreePage(t, d)
            => \E p \in VPages : ENABLED GrantPage(t, d, w, v, p)

\* Kernel accepts a copy into any free frame; KernelImpl takes the head of its free list (and of the pages').
CopyPageAccepted ==
    Idle => \A t \in Threads, d \in LocalIds, w \in Payloads, v \in VPages :
        TransferAccepted(t, d) /\ A!PageMapped(t, v) /\ A!ReceiverHasFreePage(t, d)
            /\ (\E f \in Frames : A!FrameAvailable(f))
            => \E f \in Frames, p \in VPages : ENABLED CopyPage(t, d, w, v, f, p)

\* Kernel accepts an entry into any free slot of the receiver's; KernelImpl takes the head of its free list.
MapCapAccepted ==
    Idle => \A t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds, m \in SUBSET Rights :
        TransferAccepted(t, d) /\ A!HoldsCap(t, l) /\ A!RightsWithin(t, l, m) /\ A!ReceiverHasFreeSlot(t, d)
            => \E s \in LocalIds : ENABLED MapCap(t, d, w, l, m, s)

GrantCapAccepted ==
    Idle => \A t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds :
        TransferAccepted(t, d) /\ A!HoldsCap(t, l) /\ A!ReceiverHasFreeSlot(t, d)
            => \E s \in LocalIds : ENABLED GrantCap(t, d, w, l, s)

CopyCapAccepted ==
    Idle => \A t \in Threads, d \in LocalIds, w \in Payloads, l \in LocalIds, m \in SUBSET Rights :
        TransferAccepted(t, d) /\ A!HoldsCap(t, l) /\ A!RightsWithin(t, l, m) /\ A!ReceiverHasFreeSlot(t, d)
            => \E s \in LocalIds : ENABLED CopyCap(t, d, w, l, m, s)

ReceiveAccepted ==
    Idle => \A t \in Threads : A!Running(t) /\ A!InboxNonEmpty(t) => ENABLED Receive(t)

WaitAccepted ==
    Idle => \A t \in Threads : A!Running(t) /\ A!InboxEmpty(t) => ENABLED Wait(t)

UnmapAccepted ==
    Idle => \A t \in Threads, v \in VPages : A!Running(t) /\ A!PageMapped(t, v) => ENABLED Unmap(t, v)

RevokeAccepted ==
    Idle => \A t \in Threads, l \in LocalIds : A!Running(t) /\ A!HoldsCap(t, l) => ENABLED Revoke(t, l)

CreateThreadAccepted ==
    Idle => \A t \in Threads :
        A!Running(t) /\ (\E u \in Threads : A!FreeThread(u)) /\ A!CallerHasFreeSlot(t)
            => \E u \in Threads, s \in LocalIds : ENABLED CreateThread(t, u, s)

CreateProcessAccepted ==
    Idle => \A t \in Threads :
        A!Running(t) /\ (\E u \in Threads : A!FreeThread(u)) /\ (\E q \in Procs : A!FreeProcess(q))
        /\ A!CallerHasFreeSlot(t)
            => \E u \in Threads, q \in Procs, s \in LocalIds : ENABLED CreateProcess(t, u, q, s)

DeleteThreadAccepted ==
    Idle => \A t \in Threads, d \in LocalIds :
        A!Running(t) /\ A!HoldsCap(t, d) /\ A!CanDelete(t, d) /\ A!ObjectExists(t, d) /\ A!GenerationLeft(t, d)
            => ENABLED DeleteThread(t, d)

DeleteProcessAccepted ==
    Idle => \A t \in Threads, d \in LocalIds :
        A!Running(t) /\ A!HoldsCap(t, d) /\ A!CanDelete(t, d) /\ A!ObjectExists(t, d)
        /\ A!ProcessGenerationsLeft(t, d)
            => ENABLED DeleteProcess(t, d)

MapSnapshotAccepted ==
    Idle => \A c \in Threads, x \in Procs, v \in VPages :
        A!IsCheckpointer(c) /\ A!CheckpointerLive(c) /\ A!SnapshotRoot(x, v) /\ A!CheckpointerHasFreePage(c)
            => \E p \in VPages : ENABLED MapSnapshot(c, x, v, p)

UnmapSnapshotAccepted ==
    Idle => \A c \in Threads, v \in VPages :
        A!IsCheckpointer(c) /\ A!CheckpointerLive(c) /\ A!SnapshotDerived(c, v) /\ A!SnapshotLeaf(c, v)
            => ENABLED UnmapSnapshot(c, v)
=============================================================================
