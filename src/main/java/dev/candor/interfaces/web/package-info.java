/** HTTP concerns of the chat page itself: the headers its HTML, scripts and styles are served with. */
package dev.candor.interfaces.web;
