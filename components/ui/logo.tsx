export function Logo({ className = "size-7" }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden>
      <rect width="32" height="32" rx="8" fill="currentColor" className="text-brand-600" />
      <path d="M9 22c4 0 5-12 9-12s4 6 5 6" fill="none" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
      <circle cx="23" cy="16" r="2.5" fill="#fff" />
    </svg>
  );
}
