--------------- MODULE MCKernelImplSlots_NoEntryAboveFree ---------------
\* Witness: an entry lands in a slot while a lower slot of the same table is free (the higher one was pushed in front of it, by a revoke).
\* The model of MCKernelImplSlots, checking only that this
\* never happens; the manifest expects NoEntryAboveFree violated.
EXTENDS MCKernelImplSlots
=============================================================================
