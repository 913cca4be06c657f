/** The operations the portfolio tests send, as a client would. */
export const CREATE = `mutation($input: CreatePortfolioInput!) { createPortfolio(input: $input) { id name baseCurrency allowShort } }`;
export const DEPOSIT = `mutation($input: CashMovementInput!) { depositCash(input: $input) { id cash } }`;
export const WITHDRAW = `mutation($input: CashMovementInput!) { withdrawCash(input: $input) { id cash } }`;
export const TRANSFER = `mutation($input: TransferCashInput!) { transferCash(input: $input) { id baseCurrency cash } }`;
export const RECORD = `mutation($input: RecordTradeInput!) {
  recordTrade(input: $input) { id symbol side quantity price fee currency notionalLocal notional fxRate source executedAt }
}`;
export const PORTFOLIO = `query($id: ID!) { portfolio(id: $id) {
  id name baseCurrency cash cashBalances { currency amount } totalValue invested dayChange realizedPnl
  positions { stock { symbol } quantity averageCost price marketValue costBasis unrealizedPnl unrealizedPnlPercent dayChange weight realizedPnl }
} }`;
