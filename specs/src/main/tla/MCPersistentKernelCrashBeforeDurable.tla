-------------------- MODULE MCPersistentKernelCrashBeforeDurable --------------------
(* Witness: a crash after an effect, before its record is durable. *)
(* TLC must report NoCrashBeforeDurable violated; the trace is the witness. *)
EXTENDS MCPersistentKernel

NoCrashBeforeDurable == [][~(phase = "run" /\ durable < Applied /\ phase' = "down")]_allVars
=============================================================================
