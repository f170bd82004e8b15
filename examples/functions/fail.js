// fail: rejects every order it is given. An uncaught error is a *function error*: Lambda still
// answers 200, with X-Amz-Function-Error: Unhandled and the error as the payload.
class OrderRejected extends Error {
  constructor(message) {
    super(message);
    this.name = 'OrderRejected';
  }
}

exports.handler = async (event) => {
  const orderId = event?.orderId ?? '(no orderId)';
  console.log(`Checking order ${orderId}`);
  if (!Array.isArray(event?.items) || event.items.length === 0) {
    throw new OrderRejected(`Order ${orderId} has no items`);
  }
  throw new OrderRejected(`Order ${orderId} cannot be saved: the warehouse is closed`);
};
