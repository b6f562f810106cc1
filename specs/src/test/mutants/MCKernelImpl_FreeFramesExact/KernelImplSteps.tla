-------------------------- MODULE KernelImplSteps --------------------------
(***************************************************************************)
(* How KernelImpl's steps line up with Kernel's, beyond refinement.        *)
(* Refinement says every KernelImpl step is some Kernel step or leaves the *)
(* abstract state alone.  That lets a broken call hide: a wait that does   *)
(* not block is a stuttering step, a call run in the middle of a revoke    *)
(* walk is often a legal Kernel step, and only the state counts change.    *)
(*                                                                         *)
(* WalksHoldTheLock: revoke, unmap and the two deletions start a walk (a   *)
(* kernel continuation) that removes one entry per step; no other call     *)
(* starts until the walk is done, so a step taken while a walk is under    *)
(* way is a step of a walk.                                                *)
(*                                                                         *)
(* EnabledCallsAreKernelCalls: a call KernelImpl can take is, in the     *)
(* abstract state, the Kernel call of the same name with the same          *)
(* arguments: not another Kernel step, and not none.                       *)
(* For the checker only; never compiled.                                   *)
(***************************************************************************)
EXTENDS KernelImplAccepts

\* The steps of the walks: removing one entry, or finishing.
WalkStep ==
    \/ UnmapStep \/ UnmapDone
    \/ RevokeStep \/ RevokeDone
    \/ DeleteCapStep \/ DeleteCapDone \/ DeleteThreadDone
    \/ DeletePageStep \/ DeletePageDone \/ DeleteSpaceDone

WalksHoldTheLock == [][~Idle => WalkStep]_vars

\* Each call is deterministic given its arguments, so "some step of the call is the Kernel call" is
\* "its step is".  Stated with ENABLED rather than as an action property, because an action property
\* cannot see a call that leaves every variable as it is (a wait that does not block): a stuttering step.
Matches(c, k) == ENABLED c => ENABLED (c /\ k)

EnabledCallsAreKernelCalls ==
    /\ \A t \in Threads, d \in LocalIds, w \in Payloads :
          /\ Matches(Send(t, d, w), A!Send(t, d, w))
          /\ \A v, p \in VPages :
                /\ Matches(MapPage(t, d, w, v, p), A!MapPage(t, d, w, v, p))
                /\ Matches(GrantPage(t, d, w, v, p), A!GrantPage(t, d, w, v, p))
                /\ \A f \in Frames : Matches(CopyPage(t, d, w, v, f, p), A!CopyPage(t, d, w, v, f, p))
          /\ \A l, s \in LocalIds :
                /\ Matches(GrantCap(t, d, w, l, s), A!GrantCap(t, d, w, l, s))
                /\ \A m \in SUBSET Rights :
                      /\ Matches(MapCap(t, d, w, l, m, s), A!MapCap(t, d, w, l, m, s))
                      /\ Matches(CopyCap(t, d, w, l, m, s), A!CopyCap(t, d, w, l, m, s))
    /\ \A t \in Threads :
          /\ Matches(Receive(t), A!Receive(t))
          /\ Matches(Wait(t), A!Wait(t))
          /\ \A v \in VPages : Matches(Unmap(t, v), A!Unmap(t, v))
          /\ \A l \in LocalIds : Matches(Revoke(t, l), A!Revoke(t, l))
          /\ \A d \in LocalIds :
                /\ Matches(DeleteThread(t, d), A!DeleteThread(t, d))
                /\ Matches(DeleteProcess(t, d), A!DeleteProcess(t, d))
          /\ \A u \in Threads, s \in LocalIds :
                /\ Matches(CreateThread(t, u, s), A!CreateThread(t, u, s))
                /\ \A q \in Procs : Matches(CreateProcess(t, u, q, s), A!CreateProcess(t, u, q, s))
    /\ \A c \in Threads, v \in VPages :
          /\ Matches(UnmapSnapshot(c, v), A!UnmapSnapshot(c, v))
          /\ \A x \in Procs, p \in VPages : Matches(MapSnapshot(c, x, v, p), A!MapSnapshot(c, x, v, p))
=============================================================================
