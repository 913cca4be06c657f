/** The operations the paper-order tests send, as a client would. */
export const ORDER_FIELDS = `id clientOrderId symbol side type quantity filledQuantity limitPrice stopPrice timeInForce status rejectReason
  averageFillPrice reservedAmount currency expiresAt fills { quantity price commission slippageBps executedAt } createdAt updatedAt`;
export const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`;
export const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id) { ${ORDER_FIELDS} } }`;
export const ORDERS = `query($id: ID!, $status: OrderStatus, $first: Int, $after: String) { portfolio(id: $id) {
  cash orders(status: $status, first: $first, after: $after) { edges { cursor node { ${ORDER_FIELDS} } } pageInfo { hasNextPage endCursor } }
} }`;
export const ORDER_UPDATED = `subscription($portfolioId: ID!) { orderUpdated(portfolioId: $portfolioId) { id status filledQuantity fills { quantity price } } }`;
