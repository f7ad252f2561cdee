// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title USD1 — the Usd1Reconciler project's test stablecoin (ERC-20, 6 decimals).
/// @notice Written from scratch (no OpenZeppelin). Role-gated mint/burn with explicit `Mint`/`Burn` events
///         in addition to the ERC-20 `Transfer` events, pause, and a denylist.
///
/// Storage layout (tests poke it with `anvil_setStorageAt`; keep the order):
///   slot 0: totalSupply                                   (uint256)
///   slot 1: balanceOf      mapping(address => uint256)
///   slot 2: allowance      mapping(address => mapping(address => uint256))
///   slot 3: _roles         mapping(bytes32 => mapping(address => bool))
///   slot 4: isDenylisted   mapping(address => bool)
///   slot 5: paused         (bool)
///   slot 6: owner          (address)          Ownable2Step: transferOwnership → acceptOwnership
///   slot 7: pendingOwner   (address)
///   slot 8: minterAllowance mapping(address => uint256)   fiat-token style minters (configureMinter)
///   slot 9: isMinter       mapping(address => bool)
///   slot 10: _initialized  (bool)             set by the constructor or, behind a proxy, by initialize()
///
/// Every privileged action emits an event (issue 15): RoleGranted/RoleRevoked, Paused/Unpaused,
/// Denylisted/Undenylisted, OwnershipTransferStarted/OwnershipTransferred, MinterConfigured/MinterRemoved.
/// A configured minter's mint spends its allowance (as fiat tokens do, without a MinterConfigured event);
/// minting still needs MINTER_ROLE, and a minter never configured mints without an allowance.
///
/// Event order: `mint` emits `Mint` then `Transfer(0, to, amount)`; `burn`/`burnFrom` emit `Burn` then
/// `Transfer(from, 0, amount)` — both logs of one call are adjacent, the role event first.
///
/// Pause blocks transfer, transferFrom, mint, burn and burnFrom (approve still works).
/// Denylist: a denylisted address cannot send, receive, be minted to, approve, be approved, spend an
/// allowance, or burn. Exception: a (non-denylisted) burner may `burnFrom` a denylisted holder, using an
/// allowance that holder granted, so that the issuer can retire frozen funds.
/// Transfers and mints to address(0) revert: a Transfer to the zero address only ever means a burn.
contract Usd1Token {
    /// @dev SLOT 0 — must stay the first state variable.
    uint256 public totalSupply;
    /// @dev slot 1
    mapping(address => uint256) public balanceOf;
    /// @dev slot 2
    mapping(address => mapping(address => uint256)) public allowance;
    /// @dev slot 3
    mapping(bytes32 => mapping(address => bool)) private _roles;
    /// @dev slot 4
    mapping(address => bool) public isDenylisted;
    /// @dev slot 5
    bool public paused;
    /// @dev slot 6
    address public owner;
    /// @dev slot 7
    address public pendingOwner;
    /// @dev slot 8
    mapping(address => uint256) public minterAllowance;
    /// @dev slot 9
    mapping(address => bool) public isMinter;
    /// @dev slot 10
    bool private _initialized;

    string public constant name = "USD1";
    string public constant symbol = "USD1";
    uint8 public constant decimals = 6;

    bytes32 public constant ADMIN_ROLE = keccak256("ADMIN_ROLE");
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    bytes32 public constant BURNER_ROLE = keccak256("BURNER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    bytes32 public constant DENYLISTER_ROLE = keccak256("DENYLISTER_ROLE");

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Mint(address indexed minter, address indexed to, uint256 amount);
    event Burn(address indexed burner, address indexed from, uint256 amount);
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);
    event Paused(address account);
    event Unpaused(address account);
    event Denylisted(address indexed account);
    event Undenylisted(address indexed account);
    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event MinterConfigured(address indexed minter, uint256 minterAllowedAmount);
    event MinterRemoved(address indexed oldMinter);

    error MissingRole(bytes32 role, address account);
    error EnforcedPause();
    error AccountDenylisted(address account);
    error ZeroAddress();
    error InsufficientBalance(address account, uint256 balance, uint256 needed);
    error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);
    error NotOwner(address account);
    error NotPendingOwner(address account);
    error AlreadyInitialized();
    error MinterAllowanceExceeded(address minter, uint256 allowance, uint256 needed);

    modifier onlyRole(bytes32 role) {
        if (!_roles[role][msg.sender]) revert MissingRole(role, msg.sender);
        _;
    }

    modifier whenNotPaused() {
        if (paused) revert EnforcedPause();
        _;
    }

    modifier notDenylisted(address account) {
        if (isDenylisted[account]) revert AccountDenylisted(account);
        _;
    }

    /// @param admin receives every role and ownership; address(0) means msg.sender.
    constructor(address admin) {
        _initialize(admin);
    }

    /// @notice Behind a proxy the constructor never ran on the proxy's storage: the proxy calls this once instead.
    function initialize(address admin) external {
        _initialize(admin);
    }

    function _initialize(address admin) private {
        if (_initialized) revert AlreadyInitialized();
        _initialized = true;
        if (admin == address(0)) admin = msg.sender;
        owner = admin;
        emit OwnershipTransferred(address(0), admin);
        _grant(ADMIN_ROLE, admin);
        _grant(MINTER_ROLE, admin);
        _grant(BURNER_ROLE, admin);
        _grant(PAUSER_ROLE, admin);
        _grant(DENYLISTER_ROLE, admin);
    }

    // ---------------------------------------------------------------- roles

    function hasRole(bytes32 role, address account) external view returns (bool) {
        return _roles[role][account];
    }

    function grantRole(bytes32 role, address account) external onlyRole(ADMIN_ROLE) {
        _grant(role, account);
    }

    function revokeRole(bytes32 role, address account) external onlyRole(ADMIN_ROLE) {
        if (_roles[role][account]) {
            _roles[role][account] = false;
            emit RoleRevoked(role, account, msg.sender);
        }
    }

    function _grant(bytes32 role, address account) private {
        if (!_roles[role][account]) {
            _roles[role][account] = true;
            emit RoleGranted(role, account, msg.sender);
        }
    }

    // ---------------------------------------------------------------- ownership (two-step)

    function transferOwnership(address newOwner) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        pendingOwner = newOwner;
        emit OwnershipTransferStarted(owner, newOwner);
    }

    function acceptOwnership() external {
        if (msg.sender != pendingOwner) revert NotPendingOwner(msg.sender);
        address previous = owner;
        owner = msg.sender;
        pendingOwner = address(0);
        emit OwnershipTransferred(previous, msg.sender);
    }

    // ---------------------------------------------------------------- minters (fiat-token style allowances)

    function configureMinter(address minter, uint256 allowed) external onlyRole(ADMIN_ROLE) {
        isMinter[minter] = true;
        minterAllowance[minter] = allowed;
        emit MinterConfigured(minter, allowed);
    }

    function removeMinter(address minter) external onlyRole(ADMIN_ROLE) {
        isMinter[minter] = false;
        minterAllowance[minter] = 0;
        emit MinterRemoved(minter);
    }

    // ---------------------------------------------------------------- pause / denylist

    function pause() external onlyRole(PAUSER_ROLE) {
        paused = true;
        emit Paused(msg.sender);
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        paused = false;
        emit Unpaused(msg.sender);
    }

    function denylist(address account) external onlyRole(DENYLISTER_ROLE) {
        isDenylisted[account] = true;
        emit Denylisted(account);
    }

    function undenylist(address account) external onlyRole(DENYLISTER_ROLE) {
        isDenylisted[account] = false;
        emit Undenylisted(account);
    }

    // ---------------------------------------------------------------- ERC-20

    function transfer(address to, uint256 amount) external returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function approve(address spender, uint256 amount)
        external
        notDenylisted(msg.sender)
        notDenylisted(spender)
        returns (bool)
    {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    /// @dev An allowance of type(uint256).max is never decreased. No Approval event on spend.
    function transferFrom(address from, address to, uint256 amount)
        external
        notDenylisted(msg.sender)
        returns (bool)
    {
        _spendAllowance(from, msg.sender, amount);
        _transfer(from, to, amount);
        return true;
    }

    // ---------------------------------------------------------------- mint / burn

    /// @notice Emits `Mint(msg.sender, to, amount)` then `Transfer(address(0), to, amount)`.
    function mint(address to, uint256 amount)
        external
        onlyRole(MINTER_ROLE)
        whenNotPaused
        notDenylisted(msg.sender)
        notDenylisted(to)
    {
        if (to == address(0)) revert ZeroAddress();
        if (isMinter[msg.sender]) {
            uint256 allowed = minterAllowance[msg.sender];
            if (allowed < amount) revert MinterAllowanceExceeded(msg.sender, allowed, amount);
            minterAllowance[msg.sender] = allowed - amount;
        }
        totalSupply += amount; // checked: reverts with Panic(0x11) on overflow
        balanceOf[to] += amount; // checked too, so a poked totalSupply cannot wrap a balance
        emit Mint(msg.sender, to, amount);
        emit Transfer(address(0), to, amount);
    }

    /// @notice Burns from the caller's own balance. Emits `Burn(msg.sender, msg.sender, amount)` then
    ///         `Transfer(msg.sender, address(0), amount)`.
    function burn(uint256 amount) external onlyRole(BURNER_ROLE) whenNotPaused notDenylisted(msg.sender) {
        _burn(msg.sender, amount);
    }

    /// @notice Burns from `from` using the allowance `from` gave the caller. `from` may be denylisted.
    ///         Emits `Burn(msg.sender, from, amount)` then `Transfer(from, address(0), amount)`.
    function burnFrom(address from, uint256 amount)
        external
        onlyRole(BURNER_ROLE)
        whenNotPaused
        notDenylisted(msg.sender)
    {
        _spendAllowance(from, msg.sender, amount);
        _burn(from, amount);
    }

    // ---------------------------------------------------------------- internals

    function _transfer(address from, address to, uint256 amount)
        private
        whenNotPaused
        notDenylisted(from)
        notDenylisted(to)
    {
        if (to == address(0)) revert ZeroAddress();
        uint256 bal = balanceOf[from];
        if (bal < amount) revert InsufficientBalance(from, bal, amount);
        unchecked {
            balanceOf[from] = bal - amount;
        }
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }

    function _burn(address from, uint256 amount) private {
        uint256 bal = balanceOf[from];
        if (bal < amount) revert InsufficientBalance(from, bal, amount);
        unchecked {
            balanceOf[from] = bal - amount;
        }
        totalSupply -= amount; // checked: a poked-down totalSupply reverts instead of wrapping
        emit Burn(msg.sender, from, amount);
        emit Transfer(from, address(0), amount);
    }

    function _spendAllowance(address owner, address spender, uint256 amount) private {
        uint256 current = allowance[owner][spender];
        if (current != type(uint256).max) {
            if (current < amount) revert InsufficientAllowance(owner, spender, current, amount);
            unchecked {
                allowance[owner][spender] = current - amount;
            }
        }
    }
}
