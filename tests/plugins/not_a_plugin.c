/* Test plugin: a valid shared object without the descriptor symbol. */
int not_a_plugin_answer(void);

int not_a_plugin_answer(void) {
  return 42;
}
