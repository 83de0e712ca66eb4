export function HeadersTable({ headers, label }: { headers: Record<string, string> | null; label: string }) {
  const entries = Object.entries(headers ?? {});
  if (entries.length === 0) return <p className="text-sm text-zinc-500">No headers.</p>;
  return (
    <table aria-label={label} className="w-full table-fixed text-left font-mono text-xs">
      <tbody className="divide-y divide-zinc-100">
        {entries.map(([name, value]) => (
          <tr key={name} className="align-top">
            <th scope="row" className="w-2/5 py-1 pr-3 font-medium break-all text-zinc-600">
              {name}
            </th>
            <td className="py-1 break-all text-zinc-900">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
