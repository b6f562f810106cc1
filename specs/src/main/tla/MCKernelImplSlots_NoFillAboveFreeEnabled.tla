--------------- MODULE MCKernelImplSlots_NoFillAboveFreeEnabled ---------------
\* Witness: a thread has two free slots, the head of its list above the next one, while a map or copy into it is enabled.
\* The model of MCKernelImplSlots, checking only that this
\* never happens; the manifest expects NoFillAboveFreeEnabled violated.
EXTENDS MCKernelImplSlots
=============================================================================
