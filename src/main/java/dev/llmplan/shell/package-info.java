/**
 * The interactive shell ({@code llmplan shell}, or {@code llmplan} with no arguments on a terminal).
 * The only package that uses JLine; it depends on cli for the command tree and never the other way
 * round except for the one call that opens it.
 */
package dev.llmplan.shell;
