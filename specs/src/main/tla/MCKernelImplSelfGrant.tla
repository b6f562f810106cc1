------------------------ MODULE MCKernelImplSelfGrant ------------------------
(***************************************************************************)
(* A page granted within one address space, with more than one free page  *)
(* on its list.  Thread a, alone in its process, holds send+grant to       *)
(* itself; its window has three pages, page 1 mapped at boot (frame 1),    *)
(* pages 2 and 3 free (list 2, 3).  A grant of page 1 to itself takes the  *)
(* head, 2, and gives page 1 back: the list becomes 1, 3, the one case     *)
(* where GrantPage's pop and push touch the same list with something left  *)
(* behind the head (PopPushPageNext's r = x branch keeps the rest).  Maps  *)
(* and copies to itself fill the list (and its mark is never used: no      *)
(* deletion); unmaps and revokes push pages back in other orders.          *)
(* Checked: Refinement and KernelImpl's structural invariants of pages.    *)
(***************************************************************************)
EXTENDS KernelImplAccepts

CONSTANTS a

SR == {"send", "grant"}
MCThreads == {a}
MCLocalIds == 1..1
MCVPages == 1..3
MCFrames == 1..2
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<[obj |-> a, rights |-> SR, gen |-> 0]>>]

\* One process, named like its thread; page 1 maps frame 1.
MCInitProc == [t \in MCThreads |-> t]
MCInitPages == [t \in MCThreads |-> <<1, NoFrame, NoFrame>>]
MCInitThrNext == [t \in MCThreads |-> NoObj]
MCInitFreeProcNext == [x \in MCThreads |-> NoObj]

K == INSTANCE Kernel
        WITH cspace <- AbsCspace, capAnc <- AbsCapAnc, pt <- AbsPt, mdb <- AbsMdb,
             inbox <- AbsInbox, hInFlight <- AbsInFlight, hTag <- AbsTag, Confined <- {},
             proc <- AbsProc, gen <- AbsGen, waiting <- AbsWaiting, frameData <- AbsFrameData, free <- AbsFree,
             hConfined <- {}

Refinement == K!Spec
=============================================================================
