------------------------ MODULE MCKernelFifo_NoReceiveOfTwo ------------------------
\* Witness: a receive takes the oldest of two queued messages.  The model of
\* MCKernelFifo, checking only that this never happens; the manifest expects
\* NoReceiveOfTwo violated.
EXTENDS MCKernelFifo
=============================================================================
