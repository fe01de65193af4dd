/** Purchase order status codes and their display names (fusion.md §2.6). */
export const STATUS_NAMES: Record<string, string> = {
  OPEN: 'Open',
  INCOMPLETE: 'Incomplete',
  'PENDING APPROVAL': 'Pending Approval',
  REJECTED: 'Rejected',
  CLOSED: 'Closed',
  'CLOSED FOR RECEIVING': 'Closed for Receiving',
  'FINALLY CLOSED': 'Finally Closed',
  CANCELED: 'Canceled',
  'ON HOLD': 'On Hold',
};

export type PoStatusCode = keyof typeof STATUS_NAMES;
