----------------------- MODULE MCKernelLifecycleReuse -----------------------
(***************************************************************************)
(* MCKernelLifecycle with two generations per thread object (MaxGen = 2)  *)
(* and nothing sent (state constraint): c can be deleted, created again   *)
(* and deleted again, so a capability that named c's first life meets a   *)
(* deletion call.  With MaxGen = 1 a reused object has no generation left *)
(* and no deletion through a stale capability can even be tried, so a    *)
(* deletion that skipped its generation check refined nothing wrong.      *)
(***************************************************************************)
EXTENDS MCKernelLifecycle

NothingSent == \A t \in Threads : inbox[t] = <<>>
=============================================================================
