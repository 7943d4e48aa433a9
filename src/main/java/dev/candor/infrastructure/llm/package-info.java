/** LLM provider access through LangChain4j; nothing outside this package sees LangChain4j types. */
package dev.candor.infrastructure.llm;
