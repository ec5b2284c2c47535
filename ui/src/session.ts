import { reactive } from 'vue'

/** What the whole window shares: who is working and on which ledger. */
export const session = reactive({
  operator: '',
  dbPath: '',
  empty: false,
})
