/* cvpdf - plugins that crash or exit.
 *
 * A plugin is code cvpdf runs but did not write.  It runs in cvpdf's own
 * process: a crash still ends the process, but one line first names the
 * plugin and the section it was building, and a plugin calling exit() is
 * named and the exit status made 1. */
#ifndef CV_SANDBOX_H
#define CV_SANDBOX_H

/* Once per process: handlers of SIGSEGV, SIGBUS, SIGFPE, SIGILL and
 * SIGABRT that, when the crashing thread is in a call into a plugin
 * (typeset/services.h), write one line naming the plugin and the section,
 * then let the action they replaced run (by default the process ends with
 * the signal); and an exit() check that names a plugin calling it and ends
 * the process with status 1.  Each call also gives the calling thread an
 * alternate signal stack, so that a plugin overflowing its stack is
 * reported too.  Called before plugins are loaded. */
void cv_plugin_guard_install(void);

#endif
