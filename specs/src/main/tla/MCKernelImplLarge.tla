----------------------------- MODULE MCKernelImplLarge -----------------------------
(***************************************************************************)
(* KernelImpl refines Kernel on MCKernel's configuration (not default:    *)
(* 245,864 distinct states, the refinement check slow): thread a holds  *)
(* send+grant to b and send only to c; b holds send+grant back to a; c     *)
(* holds nothing.  a owns frame 1; frame 2 is free for copies.           *)
(* Refinement is Kernel's Spec over the mapping KernelImpl defines (its    *)
(* Abs operators); TLC checks it as a PROPERTY, together with              *)
(* KernelImpl's structural invariants.                                     *)
(***************************************************************************)
EXTENDS KernelImpl

CONSTANTS a, b, c

SR == {"send", "grant"}
MCThreads == {a, b, c}
MCLocalIds == 1..2
MCVPages == 1..1
MCFrames == 1..2
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}
MCConfined == {c}

MCInitCSpace ==
    [t \in MCThreads |->
        CASE t = a -> <<[obj |-> b, rights |-> SR, gen |-> 0], [obj |-> c, rights |-> {"send"}, gen |-> 0]>>
          [] t = b -> <<[obj |-> a, rights |-> SR, gen |-> 0], EmptyCap>>
          [] OTHER -> <<EmptyCap, EmptyCap>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages ==
    [t \in MCThreads |->
        IF t = a THEN <<1>> ELSE <<NoFrame>>]

\* Each process has one thread at boot: its list is that thread alone.
MCInitThrNext == [t \in MCThreads |-> NoObj]
\* At most one process object is free at boot: the free list is it alone.
MCInitFreeProcNext == [x \in MCThreads |-> NoObj]

K == INSTANCE Kernel
        WITH cspace <- AbsCspace, capAnc <- AbsCapAnc, pt <- AbsPt, mdb <- AbsMdb,
             inbox <- AbsInbox, hInFlight <- AbsInFlight, hTag <- AbsTag, Confined <- MCConfined,
             proc <- AbsProc, gen <- AbsGen, waiting <- AbsWaiting, frameData <- AbsFrameData, free <- AbsFree,
             hConfined <- MCConfined

Refinement == K!Spec
=============================================================================
