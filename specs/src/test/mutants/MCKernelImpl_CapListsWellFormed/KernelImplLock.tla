--------------------------- MODULE KernelImplLock ---------------------------
(***************************************************************************)
(* The kernel runs a walk to completion under its lock.  Revoke, unmap and *)
(* the two deletions start a walk (a kernel continuation) that removes one *)
(* entry per step; no other call starts until the walk is done.            *)
(* Refinement alone does not say so: the abstract state already counts the *)
(* walk's entries as removed, so a call run in the middle of a walk (a     *)
(* receive, a wait, a page copy) is often a legal Kernel step, and only    *)
(* the state counts would change.  Here the lock is stated: a step taken  *)
(* while a walk is under way is a step of a walk.                          *)
(* For the checker only; never compiled.                                   *)
(***************************************************************************)
EXTENDS KernelImpl

\* The steps of the walks: removing one entry, or finishing.
WalkStep ==
    \/ UnmapStep \/ UnmapDone
    \/ RevokeStep \/ RevokeDone
    \/ DeleteCapStep \/ DeleteCapDone \/ DeleteThreadDone
    \/ DeletePageStep \/ DeletePageDone \/ DeleteSpaceDone

WalksHoldTheLock == [][~Idle => WalkStep]_vars
=============================================================================
