/** Inside the portal's frame: something of another account, or gone. Never a link to the operator console. */
export default function PortalNotFound() {
  return (
    <div role="alert" className="rounded-xl bg-white px-6 py-14 text-center shadow-sm ring-1 ring-zinc-200">
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="mt-1.5 text-sm text-zinc-600">This page does not exist or is not part of your account. Use the menu above to go back.</p>
    </div>
  );
}
